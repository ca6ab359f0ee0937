// Runs Python in Pyodide under Node with this repository's decision_engine importable,
// and prints what the Python prints. The engine benchmarks use it to time engine calls
// in the same interpreter the page runs (CPython compiled to WebAssembly).
//
//   node pyodide_run.mjs <pyodide package dir> <repository dir> <program.py>
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [packageDir, repo, program] = process.argv.slice(2).map((p) => resolve(p));
const { loadPyodide } = await import(pathToFileURL(join(packageDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: packageDir + "/" });

// Copy the package's sources and data into Pyodide's file system, as the wheel would.
function copy(from, to) {
  pyodide.FS.mkdirTree(to);
  for (const name of readdirSync(from)) {
    const path = join(from, name);
    if (statSync(path).isDirectory()) {
      if (name !== "__pycache__") copy(path, `${to}/${name}`);
    } else {
      pyodide.FS.writeFile(`${to}/${name}`, new Uint8Array(readFileSync(path)));
    }
  }
}
copy(join(repo, "decision_engine"), "/home/pyodide/site/decision_engine");

const lines = [];
pyodide.setStdout({ batched: (text) => lines.push(text) });
try {
  await pyodide.runPythonAsync(
    "import sys; sys.path.insert(0, '/home/pyodide/site')\n" + readFileSync(program, "utf-8"),
  );
} catch (error) {
  // A Python traceback's last line says what went wrong; the rest is noise here.
  process.stderr.write(String(error.message).trim().split("\n").pop() + "\n");
  process.exit(1);
}
process.stdout.write(lines.join("\n") + "\n");
