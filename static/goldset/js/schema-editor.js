// Schema editor page: paints each label's and relation type's swatch in its colour (CSSOM, no
// inline style) and repaints it while the owner picks a new colour; after a POST, puts the
// keyboard focus on the preview to confirm or on the first field with an error.
for (const swatch of document.querySelectorAll(".swatch[data-color]")) {
  swatch.style.setProperty("background-color", swatch.dataset.color);
}
for (const row of document.querySelectorAll(".schema-labels tbody tr")) {
  const swatch = row.querySelector(".swatch");
  const picker = row.querySelector("input[type=color]");
  picker?.addEventListener("input", () => swatch?.style.setProperty("background-color", picker.value));
}
// A relation type's colour is picked in its editor, a row below its swatch.
for (const picker of document.querySelectorAll("input[type=color][data-swatch]")) {
  const swatch = document.getElementById(picker.dataset.swatch);
  picker.addEventListener("input", () => swatch?.style.setProperty("background-color", picker.value));
}

const next = document.querySelector("#rename-preview button[type=submit], [aria-invalid=true]");
next?.focus();
