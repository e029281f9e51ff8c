/**
 * PURE: why no browser can be opened here (then the device flow is used), or undefined. Granted's heuristic
 * (pkg/idclogin/headless.go; docs/reference/sso-keyring-console.md A.4) plus a Linux desktop check: an SSH session,
 * a container, CI or a cloud shell, or Linux without a display. A browser command the user set (SWROLE_BROWSER,
 * BROWSER) wins over all of it: the user says there is one.
 */
export function whyNoBrowser(
  env: Readonly<Record<string, string | undefined>>,
  platform: NodeJS.Platform,
  exists: (path: string) => boolean,
): string | undefined {
  if (env.SWROLE_BROWSER?.trim() || env.BROWSER?.trim()) return undefined;
  if (env.SSH_CLIENT || env.SSH_TTY || env.SSH_CONNECTION) return 'an SSH session';
  if (env.CI || env.CODESPACES || env.CLOUD_SHELL || env.AWS_EXECUTION_ENV?.startsWith('CloudShell')) return 'CI or a cloud shell';
  if (exists('/.dockerenv') || exists('/run/.containerenv')) return 'a container';
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return 'no display (DISPLAY and WAYLAND_DISPLAY are unset)';
  return undefined;
}
