// Sends the page's form to the API as JSON and shows the outcome (see account_pages.py).
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("account-form");
  const status = document.getElementById("status");
  if (!form) return;
  const show = (text, ok) => {
    status.textContent = text;
    status.className = ok ? "ok" : "error";
  };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    if ("repeat" in data) {
      if (data.password !== data.repeat) return show("The two passwords differ.", false);
      delete data.repeat;
    }
    const button = form.querySelector("button");
    button.disabled = true;
    try {
      const response = await fetch(form.dataset.endpoint, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(data),
        credentials: "omit",
      });
      if (response.status === 204) {
        form.hidden = true;
        return show(form.dataset.done, true);
      }
      const problem = await response.json().catch(() => ({}));
      const details = (problem.errors || []).map((e) => `${e.field} ${e.message}`);
      show([problem.detail || `Error ${response.status}`, ...details].join(" — "), false);
    } catch (error) {
      show("The server could not be reached; try again.", false);
    }
    button.disabled = false;
  });
});
