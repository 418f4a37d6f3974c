// Small progressive enhancements; the pages work without JavaScript.
document.querySelectorAll("[data-autosubmit]").forEach((el) => {
  el.addEventListener("change", () => el.form.submit());
  const button = el.form.querySelector(".js-hide");
  if (button) button.classList.add("d-none");
});
