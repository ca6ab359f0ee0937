// Compiles Python to .pyc inside Pyodide itself, under Node, at build time.
//
//   node compile_pyc.mjs <pyodide package dir> stdlib <output zip>
//   node compile_pyc.mjs <pyodide package dir> wheel <wheel>   (rewritten in place)
//
// Why: a .pyc must come from Pyodide's own Python, or its magic number does not
// match, and without one every import in the browser compiles its source first (most
// of Python's start-up time). The standard library is kept whole, each .py replaced
// by its .pyc: trimming it saves little and breaks any import we did not foresee. A
// wheel keeps its sources and gains __pycache__/*.pyc (listed in its RECORD). The
// .pyc files are unchecked hash-based: nothing to stat, never stale. Entries keep
// their order and timestamps, so the same input gives the same bytes.
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const COMMON = `
import base64
import hashlib
import importlib.util
import sys
import sysconfig
import zipfile
from importlib._bootstrap_external import _code_to_hash_pyc


def pyc(source, filename):
    code = compile(source, filename, "exec", dont_inherit=True)
    return _code_to_hash_pyc(code, importlib.util.source_hash(source), checked=False)


def entry(name, like):
    info = zipfile.ZipInfo(name, like.date_time)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info
`;

const STDLIB = `
# Where the runtime mounts the library: compiled code names its files as the
# importer would, so tracebacks look the same as with the sources.
mounted = next(path for path in sys.path if path.endswith(".zip"))
with zipfile.ZipFile("/tmp/input") as source, zipfile.ZipFile(
    "/tmp/output", "w", zipfile.ZIP_DEFLATED, compresslevel=9
) as target:
    for info in source.infolist():
        data = source.read(info)
        if info.filename.endswith(".py"):
            try:
                compiled = pyc(data, f"{mounted}/{info.filename}")
            except SyntaxError:
                compiled = None
            if compiled is not None:
                target.writestr(entry(info.filename[:-3] + ".pyc", info), compiled)
                continue
        info.compress_type = zipfile.ZIP_DEFLATED
        target.writestr(info, data)
`;

const WHEEL = `
site_packages = sysconfig.get_paths()["purelib"]
tag = sys.implementation.cache_tag
added = []
with zipfile.ZipFile("/tmp/input") as source, zipfile.ZipFile(
    "/tmp/output", "w", zipfile.ZIP_DEFLATED
) as target:
    infos = source.infolist()
    (record,) = [i for i in infos if i.filename.endswith(".dist-info/RECORD")]
    for info in infos:
        if info is record:
            continue
        data = source.read(info)
        target.writestr(info, data)
        if info.filename.endswith(".py"):
            folder, _, name = info.filename.rpartition("/")
            path = f"{folder}/__pycache__/{name[:-3]}.{tag}.pyc".lstrip("/")
            compiled = pyc(data, f"{site_packages}/{info.filename}")
            target.writestr(entry(path, info), compiled)
            digest = base64.urlsafe_b64encode(hashlib.sha256(compiled).digest()).rstrip(b"=")
            added.append(f"{path},sha256={digest.decode()},{len(compiled)}")
    lines = source.read(record).decode().splitlines()
    # RECORD lists itself last, without a hash: keep it last.
    own = [line for line in lines if line.startswith(record.filename + ",")]
    rest = [line for line in lines if line not in own]
    target.writestr(record, "\\n".join([*rest, *added, *own]) + "\\n")
`;

const [pyodideDir, mode, input, output = input] = process.argv.slice(2);
if (!pyodideDir || !["stdlib", "wheel"].includes(mode) || !input) {
  console.error("usage: node compile_pyc.mjs <pyodide dir> stdlib <output zip> | wheel <wheel>");
  process.exit(2);
}
const { loadPyodide } = await import(pathToFileURL(resolve(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: resolve(pyodideDir) + "/" });
const source = mode === "stdlib" ? resolve(pyodideDir, "python_stdlib.zip") : input;
pyodide.FS.writeFile("/tmp/input", new Uint8Array(readFileSync(source)));
pyodide.runPython(COMMON + (mode === "stdlib" ? STDLIB : WHEEL));
writeFileSync(mode === "stdlib" ? input : output, pyodide.FS.readFile("/tmp/output"));
