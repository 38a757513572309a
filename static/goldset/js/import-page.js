// Import status page: follow a queued or running import, then reload to show its problems.

const POLL_MS = 1000;
const panel = document.getElementById("import-job");
const COUNTS = ["created", "duplicates", "failed", "warnings", "layers"];

async function follow(url) {
  let job;
  try {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    job = await response.json();
  } catch (error) {
    setText("import-status", `progress unavailable (${error.message}); retrying`);
    setTimeout(() => follow(url), POLL_MS * 5);
    return;
  }
  show(job);
  if (job.finished) {
    window.location.reload();
  } else {
    setTimeout(() => follow(url), POLL_MS);
  }
}

function show(job) {
  document.getElementById("import-bar").value = job.percent_read;
  setText("import-percent", job.percent_read);
  const status = document.getElementById("import-status");
  status.textContent = job.status;
  status.className = `status status-${job.status}`;
  document.getElementById("import-waiting")?.toggleAttribute("hidden", job.status !== "queued");
  for (const name of COUNTS) setText(`import-${name}`, job[name]);
  setText("import-problems-count", job.problems_count);
  const message = document.getElementById("import-message");
  message.textContent = job.message;
  message.toggleAttribute("hidden", !job.message);
}

function setText(id, value) {
  const element = document.getElementById(id);
  if (element) element.textContent = String(value);
}

if (panel?.dataset.statusUrl && !["done", "failed"].includes(panel.dataset.status)) {
  follow(panel.dataset.statusUrl);
}
