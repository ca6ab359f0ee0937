"""LZ-String's base64 form, bounded, for Obsidian's ``compressed-json`` blocks.

The Obsidian Excalidraw plugin stores a drawing as ``LZString.compressToBase64(json)``.
This is a reimplementation of the decoder from the algorithm's description in
pieroxy/lz-string (https://github.com/pieroxy/lz-string, ``_decompress``): an LZW variant
whose codes are read least-significant bit first from 6-bit base64 digits; the code width
starts at 2 bits and grows by one each time the dictionary doubles; codes 0 and 1
introduce a literal 8- or 16-bit UTF-16 code unit, code 2 ends the stream, and code
``dictSize`` is LZW's "previous entry plus its own first character" case.

Unlike the JavaScript original, which returns ``""`` or ``null`` on bad input, this one
raises ``ValueError`` with a reason, and stops once the output passes ``max_chars`` (the
output of LZW can grow quadratically in its input). ``compress_to_base64`` is the
encoder, for tests and generated benchmark vaults.
"""

from __future__ import annotations

_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="
_DIGIT = {char: value for value, char in enumerate(_ALPHABET)}
_BITS_PER_DIGIT = 6


class LZStringError(ValueError):
    """The data is not valid LZString base64 output.

    Attributes:
        reason: what is wrong.
        position: the index of the base64 digit being read when it went wrong.
    """

    def __init__(self, reason: str, position: int) -> None:
        self.reason = reason
        self.position = position
        super().__init__(f"{reason} (at base64 digit {position})")


def decompress_from_base64(data: str, *, max_chars: int) -> str:
    """Decode ``LZString.compressToBase64`` output.

    Args:
        data: the base64 text; ASCII whitespace (Obsidian's line breaks) is ignored.
        max_chars: the largest output accepted, in UTF-16 code units.

    Returns:
        The decompressed text.

    Raises:
        LZStringError: a character outside the alphabet, data that ends before the
            end-of-stream code (a truncated block), an invalid code, or output larger
            than ``max_chars``.
    """
    digits: list[int] = []
    for index, char in enumerate("".join(data.split())):
        value = _DIGIT.get(char)
        if value is None:
            raise LZStringError(f"{char!r} is not a base64 character", index)
        digits.append(value)
    if not digits:
        raise LZStringError("no data", 0)

    reader = _BitReader(digits)
    dictionary: list[str] = ["", "", ""]
    code = reader.read(2)
    if code == 2:
        return ""
    if code > 2:
        raise LZStringError(f"stream starts with code {code}, not a literal", reader.index)
    first = chr(reader.read(8 if code == 0 else 16))
    dictionary.append(first)
    previous = first
    units = [first]
    produced = 1
    code_width = 3
    enlarge_in = 4

    while True:
        if reader.index > len(digits):
            raise LZStringError("data ends before the end-of-stream code (truncated?)", len(digits))
        code = reader.read(code_width)
        if code == 2:
            break
        if code < 2:
            dictionary.append(chr(reader.read(8 if code == 0 else 16)))
            code = len(dictionary) - 1
            enlarge_in -= 1
            if enlarge_in == 0:
                enlarge_in = 1 << code_width
                code_width += 1
        if code < len(dictionary):
            entry = dictionary[code]
        elif code == len(dictionary):
            entry = previous + previous[0]
        else:
            raise LZStringError(f"code {code} refers past the dictionary", reader.index)
        produced += len(entry)
        if produced > max_chars:
            raise LZStringError(f"output exceeds {max_chars:,} characters", reader.index)
        units.append(entry)
        dictionary.append(previous + entry[0])
        enlarge_in -= 1
        previous = entry
        if enlarge_in == 0:
            enlarge_in = 1 << code_width
            code_width += 1

    text = "".join(units)
    # The format stores UTF-16 code units, so characters beyond the BMP arrive as
    # surrogate pairs; rejoin them, and refuse lone halves rather than pass them on.
    try:
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
    except UnicodeDecodeError as error:
        raise LZStringError("output holds an unpaired UTF-16 surrogate", reader.index) from error


class _BitReader:
    """Reads codes least-significant bit first, each base64 digit holding 6 bits."""

    __slots__ = ("_digits", "_mask", "_value", "index")

    def __init__(self, digits: list[int]) -> None:
        self._digits = digits
        self._value = digits[0]
        self._mask = 1 << (_BITS_PER_DIGIT - 1)
        # Like the original, ``index`` is the next digit to load; reading past the end
        # yields zero bits, and the caller notices via ``index``.
        self.index = 1

    def read(self, width: int) -> int:
        result = 0
        for bit in range(width):
            if self._value & self._mask:
                result |= 1 << bit
            self._mask >>= 1
            if not self._mask:
                self._mask = 1 << (_BITS_PER_DIGIT - 1)
                self._value = self._digits[self.index] if self.index < len(self._digits) else 0
                self.index += 1
        return result


def compress_to_base64(text: str) -> str:
    """Encode text as ``LZString.compressToBase64`` does (the inverse of the decoder).

    Args:
        text: any text; it is compressed as UTF-16 code units, like the original.

    Returns:
        The base64 text, padded with ``=`` to a multiple of four characters.
    """
    writer = _BitWriter()
    dictionary: dict[str, int] = {}
    to_create: set[str] = set()
    code_width = 2
    enlarge_in = 2
    next_code = 3
    current = ""

    def emit(word: str) -> None:
        nonlocal code_width, enlarge_in
        if word in to_create:
            unit = ord(word[0])
            literal_width = 8 if unit < 256 else 16
            writer.write(0 if literal_width == 8 else 1, code_width)
            writer.write(unit, literal_width)
            enlarge_in -= 1
            if enlarge_in == 0:
                enlarge_in = 1 << code_width
                code_width += 1
            to_create.discard(word)
        else:
            writer.write(dictionary[word], code_width)
        enlarge_in -= 1
        if enlarge_in == 0:
            enlarge_in = 1 << code_width
            code_width += 1

    units = text.encode("utf-16-le", "surrogatepass")
    for index in range(0, len(units), 2):
        char = chr(units[index] | units[index + 1] << 8)
        if char not in dictionary:
            dictionary[char] = next_code
            next_code += 1
            to_create.add(char)
        extended = current + char
        if extended in dictionary:
            current = extended
        else:
            emit(current)
            dictionary[extended] = next_code
            next_code += 1
            current = char
    if current:
        emit(current)
    writer.write(2, code_width)
    encoded = writer.finish()
    return encoded + "=" * (-len(encoded) % 4)


class _BitWriter:
    """Writes codes least-significant bit first into 6-bit base64 digits."""

    __slots__ = ("_digits", "_filled", "_value")

    def __init__(self) -> None:
        self._digits: list[str] = []
        self._value = 0
        self._filled = 0

    def write(self, value: int, width: int) -> None:
        for _ in range(width):
            self._value = (self._value << 1) | (value & 1)
            value >>= 1
            self._filled += 1
            if self._filled == _BITS_PER_DIGIT:
                self._digits.append(_ALPHABET[self._value])
                self._value = 0
                self._filled = 0

    def finish(self) -> str:
        # The original shifts zeros in until the last digit is complete, always at
        # least one bit, so a stream ending on a digit boundary gains a zero digit.
        while True:
            self._value <<= 1
            if self._filled == _BITS_PER_DIGIT - 1:
                self._digits.append(_ALPHABET[self._value])
                return "".join(self._digits)
            self._filled += 1
