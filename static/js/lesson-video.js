// Video lessons: resume where the participant stopped, save the position every 15 s and on
// pause/leave, and mark the lesson done when the video ends. Posts are small and rare (slow
// links); failures are ignored (the next one catches up).
(() => {
  const video = document.querySelector("video[data-position-url]");
  if (!video) return;
  const url = video.dataset.positionUrl;
  const token = document.querySelector("[name=csrfmiddlewaretoken]")?.value
    || (document.cookie.match(/csrftoken=([^;]+)/) || [])[1] || "";
  const start = Number(video.dataset.start) || 0;
  let lastSent = start;
  const send = (extra) => {
    const body = new URLSearchParams({ position: video.currentTime.toFixed(1), ...extra });
    return fetch(url, {
      method: "POST",
      body,
      headers: { "X-CSRFToken": token },
      credentials: "same-origin",
      keepalive: true,
    }).catch(() => {});
  };
  video.addEventListener("loadedmetadata", () => {
    if (start > 0 && start < video.duration - 2) video.currentTime = start;
  });
  video.addEventListener("timeupdate", () => {
    if (Math.abs(video.currentTime - lastSent) >= 15) {
      lastSent = video.currentTime;
      send({});
    }
  });
  video.addEventListener("pause", () => { lastSent = video.currentTime; send({}); });
  video.addEventListener("ended", () => {
    send({ ended: "1" }).then(() => window.location.reload());
  });
})();
