// The Ask tab's script (Gradio runs it with `element`, the component, and `server`, the
// Python server functions in web.py). Each answer is one "turn" in the conversation with its
// own source cards, so a [n] always opens the source of the answer it sits in. The server
// returns every piece of article text already escaped; this script only places it.
const $ = (selector) => element.querySelector(selector);
const conversation = $("#conversation");
const form = $("#ask-form");
const box = $("#question");
const askButton = $("#ask");
const status = $("#ask-status");
const outletFilter = $("#outlet-filter");
const preview = $("#cite-preview");
const dialog = $("#article-view");
// a thumb drawn inline (no icon font, no emoji font needed); the down button turns it over
const THUMB =
  '<svg aria-hidden="true" focusable="false" width="16" height="16" viewBox="0 0 24 24"><path fill="currentColor" ' +
  'd="M2 21h4V9H2v12zm20-11a2 2 0 0 0-2-2h-6.3l1-4.6v-.3a1.5 1.5 0 0 0-.4-1L13.2 1 6.6 7.6A2 2 0 0 0 6 9v10a2 2 0 0 0 2 2h9' +
  'a2 2 0 0 0 1.8-1.2l3-7.1c.1-.2.2-.5.2-.7v-2z"/></svg>';
const reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;

const turns = []; // {id, question, el, state, reply, rating}
const waiting = []; // turns asked while another was being answered: answered in order
let busy = false;
let counter = 0;
let articles = 0;
let opener = null; // the button that opened the article view, to return focus to
let streams = false; // a generative engine: its draft is shown while it is written (start() says)
const DRAFT_LABEL = "Draft — checking against the sources…";

function say(text) {
  status.textContent = text;
}

function articlesText(n) {
  return `${n.toLocaleString()} article${n === 1 ? "" : "s"}`;
}

// --- asking ----------------------------------------------------------------------------
function history() {
  const out = [];
  for (const t of turns) {
    if (t.state !== "done") continue;
    out.push({ role: "user", content: t.question });
    out.push({ role: "assistant", content: t.reply.text });
  }
  return out;
}

function submitQuestion() {
  const question = box.value.trim();
  if (!question) {
    say("Type a question first.");
    box.focus();
    return;
  }
  box.value = ""; // only what was asked leaves the box; typing goes on into it
  enqueue(question);
}

function enqueue(question) {
  const turn = addTurn(question);
  waiting.push(turn);
  if (busy) say(`Queued: “${question}” is asked when the answer above is ready.`);
  next();
}

function addTurn(question) {
  counter += 1;
  const id = `t${counter}`;
  const el = document.createElement("section");
  el.className = "turn";
  el.id = id;
  el.dataset.state = "waiting";
  el.setAttribute("aria-labelledby", `${id}-q`);
  el.innerHTML =
    `<h3 class="turn-q" id="${id}-q"><span class="visually-hidden">Question: </span></h3>` +
    `<p class="understood" hidden></p>` +
    `<div class="turn-answer"><p class="pending">Waiting…</p></div>` +
    `<div class="turn-actions" hidden>` +
    `<button type="button" class="copy" data-kind="text">Copy answer and sources</button>` +
    `<button type="button" class="copy" data-kind="markdown">Copy as Markdown</button>` +
    `<button type="button" class="fb" data-rating="up" aria-pressed="false" aria-label="Helpful" title="Helpful">${THUMB}</button>` +
    `<button type="button" class="fb down" data-rating="down" aria-pressed="false" aria-label="Not helpful" title="Not helpful">${THUMB}</button>` +
    `<span class="turn-note" role="status" aria-live="polite"></span>` +
    `</div>` +
    `<div class="turn-sources"></div>` +
    `<details class="turn-json" hidden><summary>Answer as data (JSON)</summary><pre></pre></details>`;
  el.querySelector(".turn-q").append(document.createTextNode(question));
  $("#conversation-empty")?.remove();
  conversation.append(el);
  const turn = { id, question, el, state: "waiting", reply: null, rating: null };
  turns.push(turn);
  updateToolbar();
  return turn;
}

function setBusy(value) {
  busy = value;
  askButton.disabled = value;
  askButton.textContent = value ? "Answering…" : "Ask";
  form.setAttribute("aria-busy", value ? "true" : "false");
  updateToolbar();
}

async function next() {
  if (busy || waiting.length === 0) return;
  const turn = waiting.shift();
  setBusy(true);
  turn.state = "asking";
  turn.el.dataset.state = "asking";
  const searching = `Searching ${articlesText(articles)}…`;
  turn.el.querySelector(".turn-answer").innerHTML = `<p class="pending">${searching}</p>`;
  say(searching);
  try {
    const request = {
      question: turn.question,
      history: history(),
      turn: turn.id,
      outlet: outletFilter.value,
      since: $("#since-filter").value,
      until: $("#until-filter").value,
    };
    const reply = streams ? await streamAnswer(turn, request) : await server.ask(request);
    show(turn, reply);
  } catch (err) {
    show(turn, { error: `The server did not answer (${err && err.message ? err.message : err}). Try again.` });
  } finally {
    setBusy(false);
    next();
  }
}

// A generative engine's answer: the draft as the model writes it, in a region marked as a draft
// (the server escapes it), until the checked answer replaces it in show().
async function streamAnswer(turn, request) {
  const started = await server.ask_start(request);
  if (started.error) return started;
  let since = 0;
  let text = null;
  for (;;) {
    const step = await server.ask_poll({ job: started.job, since });
    if (step.error) return step;
    if (step.draft) {
      if (!text) text = showDraft(turn);
      text.insertAdjacentHTML("beforeend", step.draft);
      since = step.length;
    }
    if (step.done) return step.reply;
  }
}

function showDraft(turn) {
  turn.el.dataset.state = "drafting";
  const answer = turn.el.querySelector(".turn-answer");
  answer.innerHTML =
    `<div class="draft" aria-live="polite"><p class="draft-label">${DRAFT_LABEL}</p>` +
    `<p class="draft-text"></p></div>`;
  say("The model is writing; every sentence is checked against its source before the answer is final.");
  return answer.querySelector(".draft-text");
}

function show(turn, reply) {
  const answer = turn.el.querySelector(".turn-answer");
  if (!reply || reply.error) {
    turn.state = "error";
    turn.el.dataset.state = "error";
    answer.innerHTML = "";
    const p = document.createElement("p");
    p.className = "error";
    p.textContent = `⚠️ ${reply ? reply.error : "No answer."}`;
    answer.append(p);
    say(p.textContent);
    updateToolbar();
    return;
  }
  turn.reply = reply;
  turn.state = "done";
  turn.el.dataset.state = "done";
  if (typeof reply.articles === "number") setArticles(reply.articles);
  answer.innerHTML = reply.html;
  answer.classList.toggle("abstained", Boolean(reply.abstained));
  const understood = turn.el.querySelector(".understood");
  if (reply.understood_as) {
    understood.textContent = `Understood as: ${reply.understood_as}`;
    understood.hidden = false;
  }
  if (reply.filters) {
    understood.textContent = `${understood.hidden ? "" : understood.textContent + " · "}${reply.filters}`;
    understood.hidden = false;
  }
  turn.el.querySelector(".turn-sources").innerHTML = reply.cards;
  turn.el.querySelector(".turn-actions").hidden = false;
  const json = turn.el.querySelector(".turn-json");
  json.querySelector("pre").textContent = JSON.stringify(reply.data, null, 2);
  json.hidden = false;
  if (reply.clarify) {
    say("Who do you mean? The question is back in the box to edit.");
    editQuestion(turn);
  } else if (reply.abstained) {
    say("The articles don't answer this.");
  } else {
    say(`Answered with ${reply.sources} source${reply.sources === 1 ? "" : "s"}.`);
  }
  updateToolbar();
  turn.el.scrollIntoView({ block: "nearest", behavior: reduceMotion ? "auto" : "smooth" });
}

// A question whose "he" could mean nobody: put it back in the box, the pronoun selected.
function editQuestion(turn) {
  if (box.value.trim() && box.value.trim() !== turn.question) return; // never overwrite what is typed
  box.value = turn.question;
  const match = /\b(he|she|him|her|his|hers|they|them|their)\b/i.exec(turn.question);
  box.focus();
  if (match) box.setSelectionRange(match.index, match.index + match[0].length);
}

// --- sources: [n] links, previews, the article view -----------------------------------
function goToCard(cite) {
  const card = element.querySelector(`#${CSS.escape(cite.dataset.card)}`);
  if (!card) return;
  hidePreview();
  element.querySelectorAll(".card.selected").forEach((c) => c.classList.remove("selected"));
  card.classList.add("selected");
  card.classList.remove("flash");
  void card.offsetWidth; // restart the animation
  card.classList.add("flash");
  card.dataset.from = cite.id || "";
  if (!cite.id) {
    cite.id = `${cite.dataset.card}-ref-${Math.random().toString(36).slice(2, 8)}`;
    card.dataset.from = cite.id;
  }
  card.scrollIntoView({ block: "nearest", behavior: reduceMotion ? "auto" : "smooth" });
  card.focus({ preventScroll: true });
}

function backToAnswer(link) {
  const card = link.closest(".card");
  const cite =
    (card.dataset.from && element.querySelector(`#${CSS.escape(card.dataset.from)}`)) ||
    element.querySelector(`a.cite[data-card="${card.id}"]`);
  if (!cite) return;
  cite.scrollIntoView({ block: "center", behavior: reduceMotion ? "auto" : "smooth" });
  cite.focus({ preventScroll: true });
}

// On a touch screen the first tap on a [n] shows this preview, with a button to the card; on a
// screen with a mouse the preview follows hover and focus, and a click goes to the card.
const touch = window.matchMedia("(hover: none)").matches;
let previewFor = null;

function showPreview(cite, interactive = false) {
  preview.textContent = cite.dataset.preview || "";
  previewFor = cite;
  preview.classList.toggle("interactive", interactive);
  if (interactive) {
    const go = document.createElement("button");
    go.type = "button";
    go.textContent = `Go to source ${cite.textContent}`;
    go.addEventListener("click", () => goToCard(cite));
    preview.append(document.createElement("br"), go);
  }
  preview.hidden = false;
  place(cite);
  cite.setAttribute("aria-describedby", "cite-preview");
}

// beside its marker, below it when there is room; again whenever the page scrolls
function place(cite) {
  const r = cite.getBoundingClientRect();
  const width = Math.min(360, window.innerWidth - 16);
  preview.style.width = `${width}px`;
  preview.style.left = `${Math.max(8, Math.min(r.left, window.innerWidth - width - 8))}px`;
  const below = r.bottom + 6;
  preview.style.top = `${below + preview.offsetHeight < window.innerHeight ? below : Math.max(8, r.top - preview.offsetHeight - 6)}px`;
}

function hidePreview() {
  preview.hidden = true;
  previewFor = null;
  element.querySelectorAll("a.cite[aria-describedby]").forEach((a) => a.removeAttribute("aria-describedby"));
}

async function openArticle(button) {
  opener = button;
  const reply = await server.article({
    doc_id: button.dataset.doc,
    start: Number(button.dataset.start),
    end: Number(button.dataset.end),
  });
  const body = $("#article-body");
  $("#article-title").textContent = reply.error ? "Article not available" : reply.title;
  $("#article-meta").textContent = reply.error ? "" : reply.meta;
  if (reply.error) {
    body.innerHTML = "";
    const p = document.createElement("p");
    p.textContent = `⚠️ ${reply.error}`;
    body.append(p);
  } else {
    body.innerHTML = reply.html;
  }
  dialog.showModal();
  const quote = dialog.querySelector("#article-quote");
  if (quote) quote.scrollIntoView({ block: "center" });
  $("#article-close").focus({ preventScroll: true });
}

// --- copy, export, feedback --------------------------------------------------------------
async function copyText(text, note) {
  try {
    await navigator.clipboard.writeText(text);
  } catch (err) {
    const area = document.createElement("textarea"); // a page not served over https or localhost
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.append(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    if (!ok) {
      note.textContent = "Copying was refused by the browser; use Download conversation instead.";
      return;
    }
  }
  note.textContent = "Copied, with the numbered sources.";
}

function conversationMarkdown() {
  const done = turns.filter((t) => t.state === "done");
  const when = new Date().toISOString().slice(0, 16).replace("T", " ");
  return (
    `# Conversation with the news assistant\n\n_Exported ${when} UTC; ${done.length} answer(s)._\n\n` +
    done.map((t) => t.reply.markdown).join("\n---\n\n")
  );
}

async function feedback(turn, button) {
  const rating = button.dataset.rating;
  const next = turn.rating === rating ? "withdrawn" : rating;
  const note = turn.el.querySelector(".turn-note");
  const reply = await server.feedback({ rating: next, answer: turn.reply.data });
  if (reply.error) {
    note.textContent = `⚠️ ${reply.error}`;
    return;
  }
  turn.rating = next === "withdrawn" ? null : next;
  turn.el.querySelectorAll("button.fb").forEach((b) => {
    b.setAttribute("aria-pressed", String(b.dataset.rating === turn.rating));
  });
  note.textContent = reply.note;
}

function updateToolbar() {
  const done = turns.some((t) => t.state === "done");
  $("#copy-conversation").disabled = !done;
  $("#export-conversation").disabled = !done;
  $("#new-conversation").disabled = busy || turns.length === 0;
}

function setArticles(n) {
  articles = n;
  $("#article-count").textContent = `${articlesText(n)} indexed`;
}

// --- wiring ------------------------------------------------------------------------------
form.addEventListener("submit", (event) => {
  event.preventDefault();
  submitQuestion();
});
box.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    submitQuestion(); // while busy, the question is queued, never dropped
  }
});

conversation.addEventListener("click", (event) => {
  const target = event.target;
  const cite = target.closest("a.cite");
  if (cite) {
    event.preventDefault();
    if (touch && previewFor !== cite) showPreview(cite, true); // a second tap goes to the card
    else goToCard(cite);
    return;
  }
  const back = target.closest("a.back-to-answer");
  if (back) {
    event.preventDefault();
    backToAnswer(back);
    return;
  }
  const open = target.closest("button.open-article");
  if (open) {
    openArticle(open);
    return;
  }
  const turnEl = target.closest(".turn");
  const turn = turnEl && turns.find((t) => t.id === turnEl.id);
  if (!turn) return;
  const copy = target.closest("button.copy");
  if (copy && turn.reply) {
    copyText(copy.dataset.kind === "markdown" ? turn.reply.markdown : turn.reply.plain, turn.el.querySelector(".turn-note"));
    return;
  }
  const fb = target.closest("button.fb");
  if (fb && turn.reply) {
    feedback(turn, fb);
    return;
  }
  if (target.closest("button.edit-question")) editQuestion(turn);
});

if (!touch) {
  conversation.addEventListener("mouseover", (event) => {
    const cite = event.target.closest("a.cite");
    if (cite) showPreview(cite);
  });
  conversation.addEventListener("mouseout", (event) => {
    if (event.target.closest("a.cite")) hidePreview();
  });
  conversation.addEventListener("focusin", (event) => {
    const cite = event.target.closest("a.cite");
    if (cite) showPreview(cite);
    else hidePreview();
  });
  conversation.addEventListener("focusout", (event) => {
    if (event.target.closest("a.cite")) hidePreview();
  });
} else {
  document.addEventListener("click", (event) => {
    if (!event.target.closest("a.cite") && !event.target.closest("#cite-preview")) hidePreview();
  });
}
element.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && !preview.hidden) hidePreview();
});
window.addEventListener("scroll", () => previewFor && !preview.hidden && place(previewFor), { passive: true });

$("#article-close").addEventListener("click", () => dialog.close());
dialog.addEventListener("close", () => {
  // back to the button that opened it, unless the browser (or the reader) already moved focus on
  const now = document.activeElement;
  if (opener && (!now || now === document.body || dialog.contains(now))) opener.focus();
});
dialog.addEventListener("click", (event) => {
  if (event.target === dialog) dialog.close(); // a click on the backdrop
});

$("#copy-conversation").addEventListener("click", () => copyText(conversationMarkdown(), status));
$("#export-conversation").addEventListener("click", () => {
  const blob = new Blob([conversationMarkdown()], { type: "text/markdown;charset=utf-8" });
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = `conversation-${new Date().toISOString().slice(0, 10)}.md`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  say("Conversation downloaded as Markdown.");
});
$("#new-conversation").addEventListener("click", () => {
  if (busy) return;
  waiting.length = 0;
  turns.length = 0;
  conversation.innerHTML = "";
  hidePreview();
  updateToolbar();
  say("New conversation: earlier questions no longer count for follow-ups.");
  box.focus();
});

server.start({}).then((info) => {
  setArticles(info.articles);
  streams = Boolean(info.streams);
  $("#engine-label").textContent = info.engine_label || "";
  element.dataset.engine = info.engine || "";
  for (const outlet of info.outlets) {
    const option = document.createElement("option");
    option.value = outlet;
    option.textContent = outlet;
    outletFilter.append(option);
  }
  const list = $("#example-list");
  for (const example of info.examples) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "example";
    button.textContent = example;
    button.addEventListener("click", () => enqueue(example)); // what is typed in the box stays
    list.append(button);
  }
  element.dataset.ready = "true";
  performance.mark("assistant-ready"); // the page can take a question (benchmarks/bench_web.py reads it)
});
