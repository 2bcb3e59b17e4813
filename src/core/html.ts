// Escaping for values echoed into an HTML body (issue #19 item 6): every text/html response the emulator builds from
// request input or state goes through this, so `<script>` in an id or a name is shown, never run.
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
