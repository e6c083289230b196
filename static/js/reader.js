/* The article reader: what htmx cannot do on its own.
 *
 * - Text selection -> offsets into the article as the server stores it. Python counts code
 *   points; JavaScript strings count UTF-16 units, which differ for astral characters (emoji,
 *   some CJK). Every text piece in #article-text carries data-o, the code-point offset of its
 *   first character, so an offset is data-o + the code points before the caret in that piece.
 * - Keyboard moves: j/k next and previous claim, a annotate, s add a source, r rate, ? help.
 * - Keeping the selected claim highlighted as the panel changes.
 */
(function () {
  "use strict";

  const text = () => document.getElementById("article-text");
  const panel = () => document.getElementById("claim-panel");
  const tools = document.getElementById("selection-tools");
  const reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  const narrow = window.matchMedia("(max-width: 1080px)");
  let lastSelection = null; // {start, end, text, claim}

  // --- code points ---------------------------------------------------------------------------

  function codePoints(s) {
    let n = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      // A high surrogate followed by a low one is one code point, as in Python.
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) i++;
      }
      n++;
    }
    return n;
  }

  function pieces() {
    return Array.from(text().querySelectorAll("[data-o]"));
  }

  function pieceEnd(el) {
    return Number(el.dataset.o) + codePoints(el.textContent);
  }

  /* The offset, in code points into the stored article, of a DOM boundary point. `isStart`
     says which way to round when the point falls outside the text pieces (e.g. on a claim's
     number tag). */
  function offsetOf(node, offset, isStart) {
    const root = text();
    if (node.nodeType === Node.TEXT_NODE) {
      const el = node.parentElement;
      if (el && el.hasAttribute("data-o") && el.parentElement === root) {
        return Number(el.dataset.o) + codePoints(node.data.slice(0, offset));
      }
      return around(node, isStart);
    }
    if (node === root) {
      const child = root.childNodes[offset];
      if (isStart) {
        return child ? firstFrom(child) : lastBefore(null);
      }
      return lastBefore(child || null);
    }
    if (node.hasAttribute && node.hasAttribute("data-o") && node.parentElement === root) {
      // A boundary given as a child index inside a piece: 0 is its start, else its end.
      return offset === 0 ? Number(node.dataset.o) : pieceEnd(node);
    }
    return around(node, isStart);
  }

  function topChild(node) {
    const root = text();
    let n = node;
    while (n && n.parentNode !== root) n = n.parentNode;
    return n;
  }

  function around(node, isStart) {
    const top = topChild(node);
    if (!top) return null;
    return isStart ? firstFrom(top.nextSibling) : lastBefore(top);
  }

  function firstFrom(node) {
    for (let n = node; n; n = n.nextSibling) {
      if (n.nodeType === Node.ELEMENT_NODE && n.hasAttribute("data-o")) return Number(n.dataset.o);
    }
    const all = pieces();
    return all.length ? pieceEnd(all[all.length - 1]) : 0;
  }

  function lastBefore(node) {
    const root = text();
    let n = node ? node.previousSibling : root.lastChild;
    for (; n; n = n.previousSibling) {
      if (n.nodeType === Node.ELEMENT_NODE && n.hasAttribute("data-o")) return pieceEnd(n);
    }
    return 0;
  }

  function articleSlice(start, end) {
    // Every character of the article is in exactly one piece, in order.
    const all = Array.from(pieces().map((el) => el.textContent).join(""));
    return all.slice(start, end).join("");
  }

  function currentSelection() {
    const sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    const range = sel.getRangeAt(0);
    const root = text();
    if (!root || !root.contains(range.startContainer) || !root.contains(range.endContainer)) return null;
    let start = offsetOf(range.startContainer, range.startOffset, true);
    let end = offsetOf(range.endContainer, range.endOffset, false);
    if (start === null || end === null || end <= start) return null;
    let chosen = articleSlice(start, end);
    // Leave out the spaces and line breaks a drag picks up at either end.
    const lead = chosen.length - chosen.trimStart().length;
    const trail = chosen.length - chosen.trimEnd().length;
    start += codePoints(chosen.slice(0, lead));
    end -= codePoints(chosen.slice(chosen.length - trail));
    chosen = chosen.trim();
    if (!chosen || end <= start) return null;
    const claimEl = (range.startContainer.parentElement || range.startContainer).closest("a.claim");
    return { start, end, text: chosen, claim: claimEl ? claimEl.dataset.claim : null, range };
  }

  // --- the selection toolbar -------------------------------------------------------------------

  function showTools(sel) {
    if (!tools) return;
    const rect = sel.range.getBoundingClientRect();
    tools.hidden = false;
    tools.querySelector(".selection-text").textContent = `“${sel.text}”`;
    const top = window.scrollY + rect.top - tools.offsetHeight - 8;
    const left = Math.max(8, Math.min(window.scrollX + rect.left, window.scrollX + document.documentElement.clientWidth - tools.offsetWidth - 8));
    tools.style.top = `${Math.max(window.scrollY + 8, top)}px`;
    tools.style.left = `${left}px`;
  }

  function hideTools() {
    if (tools) tools.hidden = true;
  }

  function onSelect() {
    const sel = currentSelection();
    if (!sel) {
      hideTools();
      return;
    }
    lastSelection = { start: sel.start, end: sel.end, text: sel.text, claim: sel.claim };
    showTools(sel);
  }

  function fill(prefix, sel, previewKey) {
    const start = document.getElementById(`id_${prefix}-start`);
    const end = document.getElementById(`id_${prefix}-end`);
    if (!start || !end) return false;
    start.value = String(sel.start);
    end.value = String(sel.end);
    const preview = document.querySelector(`[data-selection-for="${previewKey}"]`);
    if (preview) {
      preview.textContent = `Selected: “${sel.text}” (characters ${sel.start}–${sel.end})`;
      preview.classList.add("has-selection");
    }
    return true;
  }

  function openFold(details) {
    if (!details) return false;
    details.open = true;
    const field = details.querySelector("input:not([type=hidden]), select, textarea");
    details.scrollIntoView({ block: "nearest", behavior: reduceMotion ? "auto" : "smooth" });
    if (field) field.focus({ preventScroll: true });
    return true;
  }

  function addFromSelection(sel) {
    if (fill("add", sel, "add")) {
      const details = document.getElementById("add-claim");
      openFold(details);
    }
  }

  function annotateSelection(sel) {
    const current = panel() && panel().dataset.claimId;
    const target = sel.claim || current;
    if (!target) {
      say("Choose the claim to annotate first.");
      return;
    }
    const go = () => {
      if (fill("annotate", sel, "annotate")) openFold(panel().querySelector('details[data-key="a"]'));
      else say("You cannot annotate this claim.");
    };
    if (target === current) go();
    else selectClaim(target, go);
  }

  if (tools) {
    tools.addEventListener("mousedown", (e) => e.preventDefault()); // keep the text selected
    tools.addEventListener("click", (e) => {
      const button = e.target.closest("[data-selection-action]");
      if (!button || !lastSelection) return;
      hideTools();
      if (button.dataset.selectionAction === "add") addFromSelection(lastSelection);
      else annotateSelection(lastSelection);
    });
  }
  document.addEventListener("mouseup", (e) => {
    if (tools && tools.contains(e.target)) return;
    window.setTimeout(onSelect, 0);
  });
  document.addEventListener("keyup", (e) => {
    if (e.shiftKey || e.key === "Shift") window.setTimeout(onSelect, 0);
  });
  document.addEventListener("click", (e) => {
    const use = e.target.closest("[data-use-selection]");
    if (!use) return;
    if (!lastSelection) {
      say("Select the words in the article first.");
      return;
    }
    fill(use.dataset.useSelection, lastSelection, use.dataset.useSelection);
  });

  // --- moving between claims -------------------------------------------------------------------

  function tags() {
    return Array.from(text().querySelectorAll(".claim-tag[data-n]")).sort(
      (a, b) => Number(a.dataset.n) - Number(b.dataset.n),
    );
  }

  function anchorFor(pk) {
    return document.getElementById(`claim-${pk}`);
  }

  let afterSelect = null;

  function selectClaim(pk, then) {
    const el = anchorFor(pk);
    if (!el) return;
    afterSelect = then || null;
    el.scrollIntoView({ block: "center", behavior: reduceMotion ? "auto" : "smooth" });
    el.focus({ preventScroll: true });
    el.click(); // htmx loads the panel and pushes the claim's address
  }

  function move(step) {
    const all = tags();
    if (!all.length) return;
    const current = panel() && panel().dataset.claimId;
    let i = all.findIndex((t) => t.dataset.tag === current);
    i = i < 0 ? (step > 0 ? 0 : all.length - 1) : i + step;
    if (i < 0 || i >= all.length) {
      say(step > 0 ? "This is the last claim." : "This is the first claim.");
      return;
    }
    selectClaim(all[i].dataset.tag);
  }

  function markSelected() {
    const root = text();
    const p = panel();
    if (!root) return;
    const pk = p && p.dataset.claimId;
    root.querySelectorAll("a.claim.is-selected").forEach((el) => el.classList.remove("is-selected"));
    if (!pk) return;
    root.querySelectorAll("a.claim").forEach((el) => {
      if ((el.dataset.claims || "").split(" ").includes(pk)) el.classList.add("is-selected");
    });
  }

  // --- a polite voice for keyboard feedback ---------------------------------------------------

  const live = document.createElement("div");
  live.className = "visually-hidden";
  live.setAttribute("role", "status");
  document.body.appendChild(live);
  function say(message) {
    live.textContent = "";
    window.setTimeout(() => { live.textContent = message; }, 30);
  }

  // --- keys ------------------------------------------------------------------------------------

  function typing(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }

  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && !e.defaultPrevented) {
      // Esc closes the panel form being filled in and puts the keyboard back on the claim.
      const fold = e.target.closest && e.target.closest("#claim-panel details[open], #add-claim[open]");
      if (fold) {
        fold.open = false;
        const p = panel();
        const anchor = p && p.dataset.claimId && anchorFor(p.dataset.claimId);
        (anchor || fold.querySelector("summary")).focus();
        e.preventDefault();
        return;
      }
    }
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    const dialog = document.getElementById("shortcuts");
    if (dialog && dialog.open) return;
    const p = panel();
    switch (e.key) {
      case "j":
        e.preventDefault();
        move(1);
        break;
      case "k":
        e.preventDefault();
        move(-1);
        break;
      case "a":
      case "s":
      case "r": {
        e.preventDefault();
        const details = p && p.querySelector(`details[data-key="${e.key}"]`);
        if (!p || !p.dataset.claimId) say("Choose a claim first: press j.");
        else if (!openFold(details)) {
          const what = { a: "annotate", s: "add a source to", r: "rate" }[e.key];
          say(`You cannot ${what} this claim now.`);
        }
        break;
      }
      case "?":
        e.preventDefault();
        if (dialog && dialog.showModal) dialog.showModal();
        break;
      case "Escape":
        hideTools();
        break;
      default:
    }
  });

  // --- after htmx swaps --------------------------------------------------------------------------

  document.body.addEventListener("htmx:afterSettle", (e) => {
    markSelected();
    const detail = e.detail || {};
    const target = detail.target;
    const p = panel();
    if (!p || !target || target.id !== "claim-panel") return;
    const verb = detail.requestConfig && detail.requestConfig.verb;
    if (verb && verb !== "get") {
      // After a form: tell what happened, and keep the keyboard where the person works.
      const status = p.querySelector(".alert");
      const heading = document.getElementById("panel-title");
      if (!status && heading) heading.focus({ preventScroll: true });
    } else if (narrow.matches && detail.elt && text() && text().contains(detail.elt)) {
      p.scrollIntoView({ block: "start", behavior: reduceMotion ? "auto" : "smooth" });
    }
    if (afterSelect) {
      const then = afterSelect;
      afterSelect = null;
      then();
    }
  });

  function revealSelected() {
    // Opening a claim's address shows the claim, not the top of the article.
    const p = panel();
    const el = p && p.dataset.claimId && anchorFor(p.dataset.claimId);
    if (!el) return;
    const r = el.getBoundingClientRect();
    if (r.top < 0 || r.bottom > window.innerHeight) el.scrollIntoView({ block: "center" });
  }

  markSelected();
  if (!narrow.matches) revealSelected();

  // For tests and debugging: the mapping, exposed without side effects.
  window.workbenchReader = { offsetOf, codePoints, articleSlice, currentSelection };
})();
