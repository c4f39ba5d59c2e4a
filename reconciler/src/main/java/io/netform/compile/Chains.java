package io.netform.compile;

/** netform's own iptables chains; Docker's chain names are never used, so both can run side by side. */
public final class Chains {

  public static final String FORWARD = "NETFORM-FORWARD";
  public static final String ISOLATION_1 = "NETFORM-ISOLATION-1";
  public static final String ISOLATION_2 = "NETFORM-ISOLATION-2";
  public static final String POSTROUTING = "NETFORM-POSTROUTING";
  public static final String DNAT = io.netform.model.PortForward.CHAIN;
  /** VXLAN arriving at the host: accepted from the declared hosts only. */
  public static final String VXLAN = "NETFORM-VXLAN";

  private Chains() {}
}
