/// <reference lib="dom" />
// Writing text to the clipboard from the output webview, in the click that asks for it: a copy
// command run while a copy listener supplies the text. Works where the asynchronous Clipboard API
// is refused (a webview in a browser without clipboard-write permission).

let pending: string | undefined;
let listening = false;

/** Whether the clipboard now holds `text`. */
export function copyToClipboard(text: string): boolean {
  if (!listening) {
    document.addEventListener(
      'copy',
      (e) => {
        if (pending === undefined || !e.clipboardData) return;
        e.clipboardData.setData('text/plain', pending);
        e.preventDefault();
      },
      true,
    );
    listening = true;
  }
  pending = text;
  try {
    // Deprecated, yet the one synchronous way to write the clipboard in the user's click.
    return document.execCommand('copy');
  } finally {
    pending = undefined;
  }
}
