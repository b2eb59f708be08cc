// The plan form without fixed slots. Progressive enhancement only: without this file the
// "add" buttons send the form, which comes back with one more row and nothing saved.
// Here they add the row in place, and each action's goal choice follows the goals typed.
document.querySelectorAll("form[data-plan-form]").forEach((form) => {
  const goalLabel = form.dataset.goalLabel || "__number__";
  const goalRows = () => form.querySelectorAll('[data-rows="goals"] [data-plan-row]');

  const goalChoices = () =>
    Array.from(goalRows(), (row, index) => {
      const text = (row.querySelector("textarea[name$='-text']")?.value || "").trim();
      const label = goalLabel.replace("__number__", String(index + 1));
      const short = text.length > 60 ? `${text.slice(0, 60)}…` : text;
      return [String(index), short ? `${label}: ${short}` : label];
    });

  // Every action's goal list names the goals as they stand, keeping each choice made.
  const syncGoalChoices = () => {
    const choices = goalChoices();
    form.querySelectorAll("select[name^='actions-'][name$='-goal']").forEach((select) => {
      if (select.name.includes("__prefix__")) return;
      const chosen = select.value;
      const empty = select.options[0];
      select.replaceChildren(empty);
      choices.forEach(([value, label]) => select.add(new Option(label, value)));
      select.value = choices.some(([value]) => value === chosen) ? chosen : "";
    });
  };

  form.querySelectorAll("[data-add-row]").forEach((button) => {
    const prefix = button.dataset.addRow;
    const rows = form.querySelector(`[data-rows="${prefix}"]`);
    const template = form.querySelector(`template[data-row-template="${prefix}"]`);
    const total = form.querySelector(`input[name="${prefix}-TOTAL_FORMS"]`);
    if (!rows || !template || !total) return;
    button.addEventListener("click", (event) => {
      event.preventDefault();
      const index = Number.parseInt(total.value, 10) || 0;
      const html = template.innerHTML
        .replaceAll("__prefix__", String(index))
        .replaceAll("__number__", String(index + 1));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      syncGoalChoices();
      rows.lastElementChild?.querySelector("textarea, input:not([type=hidden]), select")?.focus();
    });
  });

  form.addEventListener("input", (event) => {
    if (event.target.matches("textarea[name^='goals-'][name$='-text']")) syncGoalChoices();
  });
});
