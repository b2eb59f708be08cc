// Progressive enhancement only: every page works without this file.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});

// Questionnaires save each answer in the background as it is given; without this file
// the buttons save the same way.
document.querySelectorAll("form[data-autosave]").forEach((form) => {
  const status = form.querySelector("[data-autosave-status]");
  let timer;
  const show = (text) => {
    if (status) {
      status.hidden = false;
      status.textContent = text;
    }
  };
  form.addEventListener("change", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const data = new FormData(form);
      data.set("save", "1");
      try {
        const response = await fetch(window.location.href, {
          method: "POST",
          body: data,
          headers: { "X-Polku-Autosave": "1" },
          credentials: "same-origin",
        });
        show(response.status === 204 ? status?.dataset.saved : status?.dataset.failed);
      } catch {
        show(status?.dataset.failed);
      }
    }, 400);
  });
});

// A copy button beside a read-only field; without this file the field's text is selectable.
document.querySelectorAll("[data-copy]").forEach((button) => {
  const field = document.getElementById(button.dataset.copy);
  const status = button.parentElement.querySelector("[data-copy-status]");
  if (!field) return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    let copied = false;
    try {
      await navigator.clipboard.writeText(field.value);
      copied = true;
    } catch {
      field.select();
      copied = document.execCommand("copy");
    }
    if (status) status.textContent = copied ? button.dataset.copied : button.dataset.copyFailed;
  });
});
