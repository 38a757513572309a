// Document page: highlight the chosen layer's entities in the article.

import { renderArticle } from "./render.js";

const data = JSON.parse(document.getElementById("document-data").textContent);
const article = document.getElementById("article");
renderArticle(article, data.text, data.spans, data.types);
article.dataset.rendered = "true";

const layerPicker = document.getElementById("layer");
layerPicker?.addEventListener("change", () => layerPicker.form.requestSubmit());
