// Comments: the document's discussion thread in the editor's sidebar — read it, add to it,
// delete your own (owners any) — through the comments API. Not part of the layer: a comment
// is posted at once, not with the autosave, and undo does not take it back.

import { apiRequest } from "./api.js";
import { element } from "./panels.js";

const COMMENT_MAX = 5000; // the server's COMMENT_MAX_CHARS

/** The comment thread of one document, drawn into `root` (a <section> of the sidebar). */
export class CommentThread {
  /**
   * `url`: the thread's (GET, POST); `commentUrl`: one comment's, with id 0 (DELETE).
   * @param {{root: HTMLElement, url: string, commentUrl: string, csrfToken: string}} options
   */
  constructor({ root, url, commentUrl, csrfToken }) {
    this.root = root;
    this.url = url;
    this.commentUrl = commentUrl;
    this.csrfToken = csrfToken;
    this.comments = [];
    this.list = element("ol", { class: "comments", "aria-label": "Comments, oldest first" });
    this.status = element("p", { class: "meta comment-status", role: "status", "aria-live": "polite" }, "Loading the comments…");
    this.text = element("textarea", {
      rows: 2, maxlength: COMMENT_MAX, "aria-label": "Your comment",
      placeholder: "A question or remark for the team (Ctrl+Enter posts it)",
    });
    this.text.addEventListener("keydown", (press) => {
      if (press.key === "Enter" && (press.ctrlKey || press.metaKey)) {
        press.preventDefault();
        press.stopPropagation(); // Ctrl+Enter in the page submits the layer
        this.post();
      }
    });
    const form = element("form", { class: "comment-form" }, this.text, element("button", { type: "submit" }, "Post comment"));
    form.addEventListener("submit", (submit) => {
      submit.preventDefault();
      this.post();
    });
    root.append(this.list, this.status, form);
  }

  /** Read the thread from the server and draw it. */
  async load() {
    try {
      this.comments = await apiRequest("GET", this.url);
      this.say("");
    } catch (error) {
      this.say(`The comments could not be read: ${error.message}`, "error");
    }
    this.draw();
  }

  say(message, tone = "info") {
    this.status.textContent = message;
    this.status.dataset.tone = tone;
  }

  draw() {
    this.list.replaceChildren(...this.comments.map((comment) => this.item(comment)));
    if (!this.comments.length && !this.status.textContent) this.say("No comments yet.");
  }

  item(comment) {
    const when = new Date(comment.created_at);
    return element("li", { class: "comment", dataset: { id: comment.id } },
      element("p", { class: "meta" },
        element("strong", {}, comment.author ?? "a former member"), " · ",
        element("time", { datetime: comment.created_at }, when.toLocaleString())),
      element("p", { class: "comment-text" }, comment.text),
      comment.may_delete
        ? element("button", { type: "button", class: "link-button", onclick: () => this.remove(comment) }, "Delete")
        : null);
  }

  async post() {
    const text = this.text.value.trim();
    if (!text) return this.say("Write something first.", "error");
    this.say("Posting…");
    try {
      const comment = await apiRequest("POST", this.url, { text }, { csrfToken: this.csrfToken });
      this.comments.push(comment);
      this.text.value = "";
      this.say("Comment posted.");
      this.draw();
    } catch (error) {
      this.say(`Not posted: ${error.message}`, "error"); // the text stays in the box
    }
    return undefined;
  }

  async remove(comment) {
    try {
      const url = this.commentUrl.replace(/\/0\/$/, `/${comment.id}/`);
      await apiRequest("DELETE", url, undefined, { csrfToken: this.csrfToken });
      this.comments = this.comments.filter((other) => other.id !== comment.id);
      this.say("Comment deleted.");
      this.draw();
    } catch (error) {
      this.say(`Not deleted: ${error.message}`, "error");
    }
  }
}
