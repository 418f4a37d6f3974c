// SCORM 1.2 lessons: the vendored scorm-again runtime (window.API) for the package shown in
// the iframe. It starts from what the portal stored (resume: suspend_data, lesson_location)
// and commits to the portal on LMSCommit/LMSFinish; the commit URL carries a signed token.
(() => {
  const holder = document.getElementById("scorm-player");
  if (!holder || typeof window.Scorm12API === "undefined") return;
  const commitUrl = holder.dataset.commitUrl || false;
  const settings = {
    autocommit: true,
    autocommitSeconds: 30,
    lmsCommitUrl: commitUrl,
    dataCommitFormat: "json",
    logLevel: 4,
    selfReportSessionTime: true,
  };
  window.API = new window.Scorm12API(settings);
  if (holder.dataset.state) {
    try {
      const state = JSON.parse(holder.dataset.state);
      window.API.loadFromJSON(state.cmi || {}, "");
    } catch (error) {
      // A broken stored state starts the package from the beginning.
    }
  }
  let finished = false;
  window.API.on("LMSFinish", () => {
    finished = true;
    window.setTimeout(() => window.location.reload(), 300);
  });
  window.API.on("LMSCommit", () => {
    const status = window.API.cmi && window.API.cmi.core && window.API.cmi.core.lesson_status;
    if (!finished && (status === "passed" || status === "completed")) {
      holder.dataset.done = "1";
    }
  });
  const frame = holder.querySelector("iframe");
  frame.src = holder.dataset.src;
})();
