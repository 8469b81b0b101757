() => {
  // Page-wide repairs to Gradio's own components, for screen readers (axe-core's
  // label-content-name-mismatch): the upload area's aria-label ("Click to upload or drop
  // files") differs from the words it shows, so its name is taken from what it shows.
  const repair = () => {
    document.querySelectorAll("button.upload-container[aria-label]").forEach((b) => b.removeAttribute("aria-label"));
  };
  repair();
  new MutationObserver(repair).observe(document.body, { childList: true, subtree: true });
}
