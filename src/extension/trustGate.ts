// Restricted Mode: registrations that create or rewrite files wait until the workspace is trusted (no vscode import, so it is unit-tested).

export interface Disposable {
  dispose(): unknown;
}

/** The part of `vscode.workspace` the gate reads. */
export interface TrustSource {
  readonly isTrusted: boolean;
  onDidGrantWorkspaceTrust(listener: () => void): Disposable;
}

/**
 * In a trusted workspace, `register` runs now. Otherwise `refuse` runs now (stand-ins that tell the user why
 * nothing happens) and is swapped for `register` the moment trust is granted. Disposing the result disposes
 * whichever set is live.
 */
export function gateUntilTrusted(trust: TrustSource, register: () => Disposable[], refuse: () => Disposable[], onGranted?: () => void): Disposable {
  if (trust.isTrusted) {
    const live = register();
    return { dispose: () => live.forEach((d) => d.dispose()) };
  }
  let live = refuse();
  const subscription = trust.onDidGrantWorkspaceTrust(() => {
    live.forEach((d) => d.dispose());
    live = register();
    onGranted?.();
  });
  return {
    dispose: () => {
      subscription.dispose();
      live.forEach((d) => d.dispose());
    },
  };
}
