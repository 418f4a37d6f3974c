// Course builder: drag modules and lessons to reorder them (lessons may move to another
// module); the new order is sent as JSON. The up/down buttons (forms) work without
// JavaScript and from the keyboard.
(() => {
  const root = document.querySelector("[data-reorder-url]");
  if (!root) return;
  const url = root.dataset.reorderUrl;
  const status = document.getElementById("reorder-status");
  const token = document.querySelector("[name=csrfmiddlewaretoken]")?.value || "";
  let dragged = null;
  const save = () => {
    const modules = Array.from(root.querySelectorAll("[data-module-id]"));
    const body = {
      modules: modules.map((m) => Number(m.dataset.moduleId)),
      lessons: Object.fromEntries(modules.map((m) => [
        m.dataset.moduleId,
        Array.from(m.querySelectorAll("[data-lesson-id]")).map((l) => Number(l.dataset.lessonId)),
      ])),
    };
    fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify(body),
      credentials: "same-origin",
    }).then((r) => r.json()).then((data) => {
      if (status) status.textContent = data.message || "";
      if (!data.ok) window.location.reload();
    }).catch(() => window.location.reload());
  };
  root.querySelectorAll("[data-lesson-id], [data-module-id]").forEach((item) => {
    item.draggable = true;
    item.addEventListener("dragstart", (event) => {
      dragged = item;
      event.stopPropagation();
      event.dataTransfer.effectAllowed = "move";
      item.classList.add("dragging");
    });
    item.addEventListener("dragend", () => {
      item.classList.remove("dragging");
      dragged = null;
    });
    item.addEventListener("dragover", (event) => {
      if (!dragged || dragged === item) return;
      const sameKind = dragged.hasAttribute("data-lesson-id") === item.hasAttribute("data-lesson-id");
      if (!sameKind && !(dragged.hasAttribute("data-lesson-id") && item.hasAttribute("data-module-id"))) return;
      event.preventDefault();
      event.stopPropagation();
    });
    item.addEventListener("drop", (event) => {
      if (!dragged || dragged === item) return;
      event.preventDefault();
      event.stopPropagation();
      if (dragged.hasAttribute("data-lesson-id") && item.hasAttribute("data-module-id")) {
        item.querySelector("[data-lesson-list]").appendChild(dragged);
      } else {
        const box = item.getBoundingClientRect();
        const after = event.clientY > box.top + box.height / 2;
        item.parentNode.insertBefore(dragged, after ? item.nextSibling : item);
      }
      save();
    });
  });
})();
