// A small rich-text editor for text lessons: a contenteditable area with a toolbar (bold,
// italic, headings, lists, link, quote) kept in sync with the form's textarea. Without
// JavaScript the textarea takes HTML. Whatever is sent is cleaned on the server (nh3).
(() => {
  document.querySelectorAll("textarea[data-rich-editor]").forEach((textarea) => {
    const wrapper = document.createElement("div");
    wrapper.className = "rich-editor border rounded";
    const toolbar = document.createElement("div");
    toolbar.className = "rich-toolbar btn-toolbar gap-1 p-1 border-bottom";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", textarea.dataset.toolbarLabel || "Format");
    const area = document.createElement("div");
    area.className = "rich-area p-2";
    area.contentEditable = "true";
    area.setAttribute("role", "textbox");
    area.setAttribute("aria-multiline", "true");
    const label = document.querySelector(`label[for="${textarea.id}"]`);
    if (label) {
      label.id = label.id || `${textarea.id}-label`;
      area.setAttribute("aria-labelledby", label.id);
    }
    area.innerHTML = textarea.value;
    const buttons = [
      ["bold", "B", "Tebal"],
      ["italic", "I", "Miring"],
      ["formatBlock:h2", "H2", "Judul"],
      ["formatBlock:h3", "H3", "Subjudul"],
      ["formatBlock:p", "¶", "Paragraf"],
      ["insertUnorderedList", "•", "Daftar"],
      ["insertOrderedList", "1.", "Daftar bernomor"],
      ["formatBlock:blockquote", "❝", "Kutipan"],
      ["createLink", "🔗", "Tautan"],
    ];
    buttons.forEach(([command, text, title]) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-sm btn-outline-secondary";
      button.textContent = text;
      button.title = title;
      button.setAttribute("aria-label", title);
      button.addEventListener("click", () => {
        const [name, value] = command.split(":");
        if (name === "createLink") {
          const url = window.prompt("URL (https://…)");
          if (!url || !/^https?:\/\//i.test(url)) return;
          document.execCommand(name, false, url);
        } else {
          document.execCommand(name, false, value || null);
        }
        area.focus();
        textarea.value = area.innerHTML;
      });
      toolbar.appendChild(button);
    });
    area.addEventListener("input", () => { textarea.value = area.innerHTML; });
    wrapper.append(toolbar, area);
    textarea.hidden = true;
    textarea.after(wrapper);
    textarea.form?.addEventListener("submit", () => { textarea.value = area.innerHTML; });
  });
})();
