// Times decision-engine calls inside Pyodide, under Node (the same wasm and Python as
// the page's worker, without the browser around it).
//
//   node engine_pyodide.mjs <pyodide package dir> <stdlib zip> <engine wheel> <cases JSON file>
//
// The cases file is {"rounds": N, "calls": [{"name", "module", "function", "args"}]}; for
// each call, prints one JSON line {"name", "samples_ms": [...]} (each sample one call,
// timed with Python's perf_counter inside Pyodide, after one warm-up call).
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [packageDir, stdlibZip, wheel, casesFile] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(resolve(packageDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({
  indexURL: resolve(packageDir) + "/",
  stdLibURL: resolve(stdlibZip),
});
pyodide.unpackArchive(new Uint8Array(readFileSync(wheel)), "wheel");
pyodide.globals.set("CASES", readFileSync(casesFile, "utf8"));
const lines = pyodide.runPython(`
import importlib, json, time
cases = json.loads(CASES)
out = []
for call in cases["calls"]:
    function = getattr(importlib.import_module(call["module"]), call["function"])
    function(*call["args"])
    samples = []
    for _ in range(cases["rounds"]):
        started = time.perf_counter()
        function(*call["args"])
        samples.append((time.perf_counter() - started) * 1000)
    out.append(json.dumps({"name": call["name"], "samples_ms": samples}))
"\\n".join(out)
`);
console.log(lines);
