// Forms with data-busy: on submit, disable the button and show an indeterminate progress bar
// with the form's message, so a long action (a large delete, a run start) visibly works.

for (const form of document.querySelectorAll("form[data-busy]")) {
  form.addEventListener("submit", () => {
    for (const button of form.querySelectorAll("button[type=submit]")) button.disabled = true;
    form.querySelector("progress")?.removeAttribute("hidden");
    const status = form.querySelector("[role=status]");
    if (status) status.textContent = form.dataset.busy;
  });
}
