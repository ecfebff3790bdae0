// The OriginGuard's questions in VS Code: a modal dialog, and the user-level setting
// `clerkSql.allowedApiOrigins` ("application" scope, so a workspace's settings cannot add to it).
import * as vscode from 'vscode';
import { SETTINGS } from '../ids.js';
import { CLERK_ORIGIN, type OriginAnswer, type OriginPolicy } from './originGuard.js';

export const originPrompt: OriginPolicy = {
  allowed: () => vscode.workspace.getConfiguration(SETTINGS.section).get<string[]>(SETTINGS.allowedApiOrigins, []),

  async confirm(server: string, origin: string): Promise<OriginAnswer> {
    const once = 'Allow';
    const always = 'Always Allow';
    const picked = await vscode.window.showWarningMessage(
      `Send the requests of server "${server}" to ${origin}?`,
      {
        modal: true,
        detail:
          `This notebook points server "${server}" at ${origin}, which is not Clerk's API (${CLERK_ORIGIN}). ` +
          'The Clerk secret key used there is the one stored for that address only, but the address will receive your queries. ' +
          'Allow it only if you trust it.',
      },
      once,
      always,
    );
    return picked === always ? 'always' : picked === once ? 'once' : undefined;
  },

  async remember(origin: string): Promise<void> {
    const config = vscode.workspace.getConfiguration(SETTINGS.section);
    const list = config.get<string[]>(SETTINGS.allowedApiOrigins, []);
    if (!list.includes(origin)) await config.update(SETTINGS.allowedApiOrigins, [...list, origin], vscode.ConfigurationTarget.Global);
  },
};
