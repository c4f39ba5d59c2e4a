package io.netform.plan;

/** What a plan does to one object, with Terraform's symbols. */
public enum Action {
  CREATE("+"), UPDATE("~"), DELETE("-"), REPLACE("-/+");

  public final String symbol;

  Action(String symbol) {
    this.symbol = symbol;
  }

  public String text() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
