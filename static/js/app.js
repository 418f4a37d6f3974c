// Small progressive enhancements; the pages work without JavaScript.
document.querySelectorAll("[data-autosubmit]").forEach((el) => {
  el.addEventListener("change", () => el.form.submit());
  const button = el.form.querySelector(".js-hide");
  if (button) button.classList.add("d-none");
});

// Elements that only make sense with JavaScript are rendered `hidden` with data-js-show.
document.querySelectorAll("[data-js-show]").forEach((el) => el.removeAttribute("hidden"));

// "Pilih semua": a checkbox with data-select-all="<name>" checks or clears every enabled
// checkbox of that name in its form; an element with data-selected-count="<name>" shows how
// many are checked.
document.querySelectorAll("[data-select-all]").forEach((all) => {
  const name = all.dataset.selectAll;
  const form = all.form || all.closest("form");
  if (!form) return;
  const boxes = () =>
    Array.from(form.querySelectorAll("input[type=checkbox]")).filter(
      (box) => box.name === name && !box.disabled,
    );
  const counters = form.querySelectorAll(`[data-selected-count="${CSS.escape(name)}"]`);
  const sync = () => {
    const all_ = boxes();
    const checked = all_.filter((box) => box.checked).length;
    all.checked = checked > 0 && checked === all_.length;
    all.indeterminate = checked > 0 && checked < all_.length;
    counters.forEach((el) => { el.textContent = String(checked); });
  };
  all.addEventListener("change", () => {
    boxes().forEach((box) => { box.checked = all.checked; });
    form.dispatchEvent(new Event("change"));
  });
  form.addEventListener("change", sync);
  sync();
});

// Approvals: per offering (a [data-seat-group] with the seats left), warn when the selected
// requests exceed the seats. Same rule as the server: a request takes a seat reserved for its
// unit first, then a general one. With nothing selected the server's warning (all requests
// approved) stays.
document.querySelectorAll("[data-seat-group]").forEach((group) => {
  const form = group.closest("form");
  const warning = group.querySelector("[data-seat-warning]");
  const text = warning && warning.querySelector("[data-seat-warning-text]");
  if (!form || !text) return;
  const initial = { text: text.textContent, hidden: warning.hidden };
  const update = () => {
    if (!form.querySelector("[data-seat-group] input[type=checkbox]:checked")) {
      text.textContent = initial.text;
      warning.hidden = initial.hidden;
      return;
    }
    const picked = Array.from(group.querySelectorAll("input[type=checkbox]:checked"));
    let general = Number(group.dataset.generalLeft) || 0;
    const reserved = {};
    (group.dataset.reserved || "").split(",").filter(Boolean).forEach((pair) => {
      const [unit, left] = pair.split(":");
      reserved[unit] = Number(left) || 0;
    });
    let fits = 0;
    picked.forEach((box) => {
      const unit = box.dataset.unit;
      if (reserved[unit] > 0) {
        reserved[unit] -= 1;
        fits += 1;
      } else if (general > 0) {
        general -= 1;
        fits += 1;
      }
    });
    if (fits >= picked.length) {
      warning.hidden = true;
      return;
    }
    const template = fits ? group.dataset.msgSome : group.dataset.msgNone;
    text.textContent = template.replace("{seats}", String(fits)).replace("{n}", String(picked.length));
    warning.hidden = false;
  };
  form.addEventListener("change", update);
  update();
});

// Copy buttons: data-copy="<selector>" copies that element's value (or text) to the clipboard
// and says so on the button for two seconds.
document.querySelectorAll("[data-copy]").forEach((button) => {
  const label = button.querySelector("[data-copy-label]") || button;
  const original = label.textContent;
  button.addEventListener("click", async () => {
    const source = document.querySelector(button.dataset.copy);
    if (!source) return;
    const text = "value" in source ? source.value : source.textContent;
    try {
      await navigator.clipboard.writeText(text);
    } catch (error) {
      if (source.select) source.select();
      return;
    }
    label.textContent = button.dataset.copied || original;
    setTimeout(() => { label.textContent = original; }, 2000);
  });
});

// A table that scrolls sideways (a phone) can be scrolled with the keyboard too.
const focusScrollable = () => {
  document.querySelectorAll(".table-responsive").forEach((box) => {
    if (box.scrollWidth > box.clientWidth + 1) box.tabIndex = 0;
    else box.removeAttribute("tabindex");
  });
};
focusScrollable();
window.addEventListener("resize", focusScrollable);
