package org.explain4j.engine;

/** Whether an engine can run on this machine, with the reason when it cannot. */
public record Availability(boolean available, String reason) {

  /** The engine can run. */
  public static Availability yes() {
    return new Availability(true, "available");
  }

  /** The engine cannot run, for the given reason. */
  public static Availability no(String reason) {
    return new Availability(false, reason);
  }
}
