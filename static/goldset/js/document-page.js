// Document page: highlight the chosen layer's entities in the article.

import { paintEntityColors, renderArticle } from "./render.js";

paintEntityColors();
const data = JSON.parse(document.getElementById("document-data").textContent);
const article = document.getElementById("article");
renderArticle(article, data.text, data.spans, data.types);
article.dataset.rendered = "true";

const layerPicker = document.getElementById("layer");
layerPicker?.addEventListener("change", () => layerPicker.form.requestSubmit());

// The events list jumps to each trigger in the text.
document.getElementById("events")?.addEventListener("click", (event) => {
  const button = event.target.closest("button.event-jump");
  if (!button) return;
  const { start, end } = button.closest("li").dataset;
  const mark = article.querySelector(`mark[data-kind="trigger"][data-start="${start}"][data-end="${end}"]`);
  if (!mark) return;
  mark.scrollIntoView({ block: "center" });
  mark.classList.add("flash");
  mark.addEventListener("animationend", () => mark.classList.remove("flash"), { once: true });
  setTimeout(() => mark.classList.remove("flash"), 1500);
});
