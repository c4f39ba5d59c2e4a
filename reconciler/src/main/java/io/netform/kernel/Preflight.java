package io.netform.kernel;

/**
 * What an operation needs from the machine, checked before it changes anything: a tool found
 * missing half-way would leave the host half-changed (links made, rules not), or worse, make a
 * destroy believe there were no rules to remove.
 */
public final class Preflight {

  private Preflight() {}

  /** Fails (a {@link io.netform.kernel.firewall.FirewallException} naming what to install) unless every tool is there. */
  public static void check(KernelHost host) {
    host.firewall().checkAvailable();
  }
}
