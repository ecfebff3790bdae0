// Saves a chart image the renderer made (its SVG text, or PNG bytes drawn from it in the output
// webview, which cannot write files) where the user says through the save dialog.
import * as vscode from 'vscode';

export async function saveChart(format: 'svg' | 'png', data: string, name: string): Promise<vscode.Uri | undefined> {
  const base = vscode.workspace.workspaceFolders?.[0]?.uri;
  const file = `${name.replace(/[^\w.-]+/g, '_').slice(0, 80) || 'chart'}.${format}`;
  const uri = await vscode.window.showSaveDialog({
    title: `Save chart as ${format.toUpperCase()}`,
    defaultUri: base ? vscode.Uri.joinPath(base, file) : undefined,
    filters: format === 'png' ? { 'PNG image': ['png'] } : { 'SVG image': ['svg'] },
  });
  if (!uri) return undefined;
  const bytes = format === 'png' ? Buffer.from(data, 'base64') : Buffer.from(data, 'utf8');
  await vscode.workspace.fs.writeFile(uri, bytes);
  vscode.window.setStatusBarMessage(`Clerk SQL: chart saved to ${uri.fsPath}`, 5000);
  return uri;
}
