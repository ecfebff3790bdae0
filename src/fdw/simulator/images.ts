// Image URLs in Clerk's shape: img.clerk.com serves every image behind a base64url-encoded
// JSON descriptor (a proxied upload or OAuth avatar, or a generated default with initials),
// which is why real image_url values are long.
import { clerkId } from './ids.js';
import type { Rng } from './prng.js';

function clerkImage(descriptor: Record<string, string>): string {
  return `https://img.clerk.com/${Buffer.from(JSON.stringify(descriptor)).toString('base64url')}`;
}

/** An image the user or an admin uploaded to Clerk. */
export function uploadedImage(rng: Rng, uploadedAt: number): string {
  return clerkImage({ type: 'proxy', src: `https://images.clerk.dev/uploaded/${clerkId('img_', uploadedAt, rng)}` });
}

/** An OAuth provider's avatar, proxied and cached by Clerk. */
export function oauthImage(rng: Rng, provider: string, linkedAt: number): string {
  return clerkImage({ type: 'proxy', src: `https://images.clerk.dev/${provider}/${clerkId('img_', linkedAt, rng)}` });
}

/** The generated placeholder Clerk serves when there is no image. */
export function defaultImage(instanceId: string, resourceId: string, initials: string): string {
  return clerkImage({ type: 'default', iid: instanceId, rid: resourceId, initials });
}

export function initialsOf(...names: (string | null | undefined)[]): string {
  return names
    .map((name) => name?.[0] ?? '')
    .join('')
    .toUpperCase();
}
