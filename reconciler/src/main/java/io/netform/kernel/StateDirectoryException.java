package io.netform.kernel;

/**
 * The state directory, or a file in it, cannot be used: refused as unsafe, damaged, full,
 * unreadable. Never a bug in netform: the message is one line saying what is wrong and the fix.
 */
public class StateDirectoryException extends RuntimeException {

  public StateDirectoryException(String message) {
    super(message);
  }
}
