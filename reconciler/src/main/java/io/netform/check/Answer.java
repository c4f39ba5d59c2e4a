package io.netform.check;

/** What one TCP connection attempt got: an answer of any kind means the path is open. */
public enum Answer {
  CONNECTED("connected", true),
  REFUSED("refused: nothing listens, the path is open", true),
  TIMED_OUT("no answer (timed out)", false),
  NO_ROUTE("no route", false),
  /** The attempt could not be made here (a local error): says nothing about the path. */
  FAILED("could not be tried", false);

  private final String text;
  private final boolean open;

  Answer(String text, boolean open) {
    this.text = text;
    this.open = open;
  }

  public String text() {
    return text;
  }

  public boolean open() {
    return open;
  }
}
