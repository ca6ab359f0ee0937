"""Which AWS compute service for this workload, why, and what will it cost?"""
