// The time left of a quiz attempt (the server decides; this only counts down and submits the
// answers when the time is up).
(() => {
  const timer = document.querySelector("[data-seconds-left]");
  const form = document.getElementById("quiz-form");
  if (!timer || !form) return;
  const text = timer.querySelector("[data-timer-text]");
  const deadline = Date.now() + Number(timer.dataset.secondsLeft) * 1000;
  const tick = () => {
    const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    const minutes = Math.floor(left / 60);
    const seconds = String(left % 60).padStart(2, "0");
    text.textContent = `${minutes}:${seconds}`;
    if (left === 60) timer.setAttribute("aria-live", "assertive");
    if (left <= 0) {
      window.clearInterval(handle);
      form.submit();
    }
  };
  const handle = window.setInterval(tick, 1000);
  tick();
})();
