package io.netform.kernel.firewall;

/** iptables refused a change set (nothing of it was applied) or could not be run. */
public class FirewallException extends RuntimeException {

  public FirewallException(String message) {
    super(message);
  }
}
