// New corpus page: preview the Markdown guidelines as annotators will see them (sanitized by
// the server), and show only the schema field the chosen source needs.

const form = document.getElementById("corpus-create");
const button = document.getElementById("guidelines-preview-button");
const preview = document.getElementById("guidelines-preview");
const status = document.getElementById("guidelines-preview-status");

async function showPreview() {
  const body = new FormData();
  body.append("text", form.elements.guidelines.value);
  status.textContent = "Rendering…";
  let response;
  try {
    response = await fetch(button.dataset.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": form.elements.csrfmiddlewaretoken.value },
      body,
    });
  } catch (error) {
    status.textContent = `The server did not answer (${error.message}).`;
    return;
  }
  const text = await response.text();
  if (!response.ok) {
    status.textContent = text || `The server answered ${response.status}.`;
    return;
  }
  preview.innerHTML = text; // sanitized by the server (nh3), as on the annotation page
  preview.hidden = false;
  status.textContent = text ? "" : "Nothing to preview.";
}

function showSourceFields() {
  const source = form.elements.schema_source.value;
  document.getElementById("schema-copy-from").hidden = source !== "copy";
  document.getElementById("schema-file").hidden = source !== "brat" && source !== "json";
}

button.addEventListener("click", showPreview);
form.addEventListener("change", (event) => {
  if (event.target.name === "schema_source") showSourceFields();
});
showSourceFields();
