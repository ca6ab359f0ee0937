// The Well-Architected review's page glue: answers kept in the browser, the report from
// the engine's worker, export and import of answers, and a lens of the reader's own.
//
// Like the calculators, this file builds no HTML and rates nothing: the questions, the
// report and the Markdown export come from the engine's renderer
// (decision_engine/render_review.py), at build time in the page and then from the same
// worker the calculators use. Here we only keep state, move text and files around.

import { engineFor, EngineStopped } from "../calculator/calculator.mjs";

// localStorage keys. Answers are kept per lens name, so switching lenses and back
// loses nothing; the reader's own lens is kept as its text (the WA Tool caps a lens
// at 500 KB, well within the browser's storage).
const STORE = "handbook-review:v1";
const answersKey = (lensName) => `${STORE}:answers:${lensName}`;
const LENS_KEY = `${STORE}:lens`;

const NOTES = {
  starting: "Starting the engine… answer on; the report updates when it is ready.",
  ready: "Live: the report updates as you answer.",
  restarting: "The engine stopped; restarting it…",
};

function readStored(key) {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage disabled: the review still works, it just is not kept
  }
}

function writeStored(key, value) {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
    return true;
  } catch {
    return false;
  }
}

function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** The review on one page: its questions, its report, its share of the engine. */
class Review {
  constructor(root) {
    this.root = root;
    this.questions = root.querySelector(".review-questions");
    this.report = root.querySelector(".review-report");
    this.status = root.querySelector(".review-status");
    this.note = root.querySelector(".review-engine");
    this.message = root.querySelector(".review-message");
    this.lensLabel = root.querySelector(".review-lens-name strong");
    this.handbookLensName = this.form().dataset.lensName;
    this.lensText = "";
    this.pending = false;
    this.busy = false;
    this.engine = engineFor(root);
  }

  form() {
    return this.questions.querySelector(".review-form");
  }

  lensName() {
    return this.form().dataset.lensName;
  }

  connect() {
    for (const hidden of this.root.querySelectorAll(".review-toolbar [hidden]")) hidden.hidden = false;
    this.root.querySelector(".review-lens-reset").hidden = true;
    this.questions.addEventListener("change", (event) => this.changed(event.target));
    this.questions.addEventListener("submit", (event) => event.preventDefault());
    this.on(".review-export-json", "click", () => this.exportAnswers());
    this.on(".review-export-md", "click", () => this.exportMarkdown());
    this.on(".review-clear", "click", () => this.clear());
    this.on(".review-lens-reset", "click", () => this.useHandbookLens());
    this.on(".review-import-file", "change", (event) => this.importAnswers(event.target));
    this.on(".review-lens-file", "change", (event) => this.loadLens(event.target));
    this.stopListening = this.engine.onState((...args) => this.engineState(...args));

    const storedLens = readStored(LENS_KEY);
    if (storedLens) {
      // The questions of the reader's lens come from the engine: start it now.
      this.say("Loading your lens…");
      this.requestLens(storedLens, { restoring: true });
    } else {
      this.restoreAnswers();
    }
    const start = () => this.engine.start();
    for (const type of ["focusin", "pointerdown", "keydown"]) {
      this.root.addEventListener(type, start, { once: true, passive: true });
    }
    this.engine.startSoon();
  }

  on(selector, type, handler) {
    this.root.querySelector(selector).addEventListener(type, handler);
  }

  say(text) {
    this.message.textContent = text;
  }

  // The answers as the engine takes them: {answers: {question: [choice, ...]}, not_applicable}.
  state() {
    const answers = {};
    const notApplicable = [];
    for (const box of this.form().querySelectorAll("input[type=checkbox]:checked")) {
      if (box.dataset.notApplicable) notApplicable.push(box.name);
      else (answers[box.name] ??= []).push(box.value);
    }
    return { answers, not_applicable: notApplicable };
  }

  apply(state) {
    for (const box of this.form().querySelectorAll("input[type=checkbox]")) {
      box.checked = box.dataset.notApplicable
        ? (state.not_applicable ?? []).includes(box.name)
        : (state.answers?.[box.name] ?? []).includes(box.value);
    }
  }

  restoreAnswers() {
    const saved = readStored(answersKey(this.lensName()));
    if (!saved) return;
    try {
      this.apply(JSON.parse(saved));
    } catch {
      writeStored(answersKey(this.lensName()), null);
      return;
    }
    // The build-time report is for no answers: ask for the reader's.
    this.refresh();
  }

  changed(box) {
    if (box.type !== "checkbox") return;
    // "None of these" excludes the question's other choices, as in the WA Tool.
    if (box.checked && !box.dataset.notApplicable) {
      const exclusive = box.dataset.none ? ":not([data-none])" : "[data-none]";
      for (const other of this.form().querySelectorAll(
        `input[name="${CSS.escape(box.name)}"]:not([data-not-applicable])${exclusive}`,
      )) {
        other.checked = false;
      }
    }
    this.save();
    this.refresh();
  }

  save() {
    if (!writeStored(answersKey(this.lensName()), JSON.stringify(this.state()))) {
      this.say("This browser does not let the page keep your answers; export them to keep them.");
    }
  }

  refresh() {
    this.pending = true;
    if (this.engine.state === "idle") this.engine.start();
    if (this.engine.state !== "ready") this.root.classList.add("review--stale");
    this.next();
  }

  ask(view, extra = {}) {
    return this.engine
      .ask({
        tool: "review",
        fields: { view, state: JSON.stringify(this.state()), lens: this.lensText, ...extra },
        site_root: this.root.dataset.siteRoot,
        directory_urls: this.root.dataset.directoryUrls === "true",
      })
      .then((message) => JSON.parse(message.response));
  }

  // One report request in flight; answers given meanwhile are sent once it returns.
  next() {
    if (this.busy || !this.pending || this.engine.state !== "ready") return;
    this.pending = false;
    this.busy = true;
    this.ask("report")
      .then((response) => {
        if (this.pending) return;
        if (response.error) {
          this.say(`The engine cannot use these answers: ${response.error}`);
          return;
        }
        this.report.innerHTML = response.html;
        this.status.textContent = response.summary;
        this.root.classList.remove("review--stale");
        this.root.dispatchEvent(new CustomEvent("review:report", { bubbles: true, detail: response }));
      })
      .catch((error) => {
        if (error instanceof EngineStopped) this.pending = true;
        else this.say(`The engine failed on these answers (${error.message}).`);
      })
      .finally(() => {
        this.busy = false;
        this.next();
      });
  }

  whenReady() {
    if (this.engine.state === "ready") return Promise.resolve();
    this.engine.start();
    return new Promise((resolve, reject) => {
      const stop = this.engine.onState((state, reason) => {
        if (state === "ready") {
          queueMicrotask(() => stop());
          resolve();
        } else if (state === "failed") {
          queueMicrotask(() => stop());
          reject(new Error(reason));
        }
      });
    });
  }

  exportAnswers() {
    // Exactly the engine's input: `python -m decision_engine review < file` reads it.
    const text = JSON.stringify(this.state(), null, 2) + "\n";
    download("well-architected-answers.json", "application/json", text);
    this.say("Answers exported as well-architected-answers.json.");
  }

  async exportMarkdown() {
    try {
      await this.whenReady();
      const response = await this.ask("markdown");
      if (response.error) throw new Error(response.error);
      download("well-architected-review.md", "text/markdown", response.html);
      this.say("Report exported as well-architected-review.md.");
    } catch (error) {
      this.say(`The report cannot be exported: ${error.message}`);
    }
  }

  async readFile(input) {
    const file = input.files?.[0];
    input.value = ""; // choosing the same file again fires "change" again
    if (!file) return null;
    return { name: file.name, text: await file.text() };
  }

  async importAnswers(input) {
    const file = await this.readFile(input);
    if (!file) return;
    let state;
    try {
      state = JSON.parse(file.text);
    } catch (error) {
      this.say(`${file.name} is not JSON (${error.message}); nothing was imported.`);
      return;
    }
    try {
      await this.whenReady();
      // The engine checks the answers against the lens before they replace the reader's.
      const response = await this.ask("report", { state: JSON.stringify(state) });
      if (response.error) {
        this.say(`${file.name} was not imported: ${response.error}`);
        return;
      }
    } catch (error) {
      this.say(`${file.name} was not imported: ${error.message}`);
      return;
    }
    this.apply(state);
    this.save();
    this.refresh();
    this.say(`Answers imported from ${file.name}.`);
  }

  async loadLens(input) {
    const file = await this.readFile(input);
    if (file) this.requestLens(file.text, { fileName: file.name });
  }

  async requestLens(text, { fileName = "", restoring = false } = {}) {
    let response;
    try {
      await this.whenReady();
      response = await this.ask("questions", { lens: text, state: "{}" });
    } catch (error) {
      this.say(`The lens cannot be loaded: ${error.message}`);
      return;
    }
    if (response.error) {
      // Plainly, with the JSON path the engine names; the current lens stays.
      this.say(`${fileName || "Your saved lens"} is not a valid lens: ${response.error}`);
      if (restoring) {
        writeStored(LENS_KEY, null);
        this.restoreAnswers();
      }
      return;
    }
    if (!writeStored(LENS_KEY, text)) {
      this.say("This browser does not let the page keep your lens; it is used until you leave.");
    }
    this.lensText = text;
    this.questions.innerHTML = response.html;
    this.lensLabel.textContent = response.summary;
    this.root.querySelector(".review-lens-reset").hidden = false;
    this.apply({});
    this.restoreAnswers();
    this.refresh();
    if (!restoring) this.say(`Loaded the lens “${response.summary}” from ${fileName}.`);
    else this.say(`Your lens “${response.summary}” is loaded.`);
  }

  async useHandbookLens() {
    writeStored(LENS_KEY, null);
    this.lensText = "";
    try {
      await this.whenReady();
      const response = await this.ask("questions", { lens: "", state: "{}" });
      this.questions.innerHTML = response.html;
    } catch (error) {
      this.say(`The handbook lens cannot be shown: ${error.message}`);
      return;
    }
    this.lensLabel.textContent = this.handbookLensName;
    this.root.querySelector(".review-lens-reset").hidden = true;
    this.apply({});
    this.restoreAnswers();
    this.refresh();
    this.say("Back to the handbook lens.");
  }

  clear() {
    this.apply({});
    writeStored(answersKey(this.lensName()), null);
    this.refresh();
    this.say("Answers cleared.");
  }

  engineState(state, reason) {
    // Instant navigation replaced this page; the engine lives on for the next one.
    if (!this.root.isConnected) return this.stopListening?.();
    this.root.dataset.engine = state;
    if (state === "failed") {
      this.note.textContent =
        `The live report is unavailable: ${reason}. The questions still read; the report ` +
        "shown was computed when this page was built, for no answers; " +
        "python -m decision_engine review gives the same report from your answers.";
      this.note.classList.add("review-engine--failed");
      return;
    }
    if (NOTES[state]) this.note.textContent = NOTES[state];
    if (state === "ready") this.next();
  }
}

function connectAll() {
  for (const root of document.querySelectorAll(".review[data-lock]")) {
    if (root.dataset.engine) continue;
    root.dataset.engine = "idle";
    new Review(root).connect();
  }
}

if (window.document$) window.document$.subscribe(connectAll);
else connectAll();
