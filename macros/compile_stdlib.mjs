// Compiles Pyodide's standard library to .pyc inside Pyodide itself, under Node.
//
//   node compile_stdlib.mjs <pyodide package dir> <output zip>
//
// Why: the npm package ships python_stdlib.zip as .py sources only, so every import
// at start-up is compiled in the browser (most of Python's start-up time). A .pyc
// must come from Pyodide's own Python, or its magic number does not match. The
// whole library is kept (only .py files become .pyc): trimming it saves little and
// breaks any import we did not foresee. Entries are written in the source zip's
// order with its timestamps, so the same input gives the same bytes.
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const COMPILE = `
import importlib.util
import sys
import zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

# Where the runtime mounts the library: compiled code names its files as the
# importer would, so tracebacks look the same as with the sources.
mounted = next(entry for entry in sys.path if entry.endswith(".zip"))
compiled = kept = 0
with zipfile.ZipFile("/tmp/stdlib-src.zip") as source, zipfile.ZipFile(
    "/tmp/stdlib-pyc.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=9
) as target:
    for info in source.infolist():
        data = source.read(info)
        if info.filename.endswith(".py"):
            try:
                code = compile(data, f"{mounted}/{info.filename}", "exec", dont_inherit=True)
            except SyntaxError:
                code = None
            if code is not None:
                # Unchecked hash-based: nothing to stat in a zip, and never stale.
                pyc = _code_to_hash_pyc(code, importlib.util.source_hash(data), checked=False)
                entry = zipfile.ZipInfo(info.filename[:-3] + ".pyc", info.date_time)
                entry.compress_type = zipfile.ZIP_DEFLATED
                target.writestr(entry, pyc)
                compiled += 1
                continue
        info.compress_type = zipfile.ZIP_DEFLATED
        target.writestr(info, data)
        kept += 1
print(f"compiled {compiled} modules, kept {kept} other files")
`;

const [pyodideDir, output] = process.argv.slice(2);
if (!pyodideDir || !output) {
  console.error("usage: node compile_stdlib.mjs <pyodide package dir> <output zip>");
  process.exit(2);
}
const { loadPyodide } = await import(pathToFileURL(resolve(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: resolve(pyodideDir) + "/" });
pyodide.FS.writeFile(
  "/tmp/stdlib-src.zip",
  new Uint8Array(readFileSync(resolve(pyodideDir, "python_stdlib.zip"))),
);
pyodide.runPython(COMPILE);
writeFileSync(output, pyodide.FS.readFile("/tmp/stdlib-pyc.zip"));
