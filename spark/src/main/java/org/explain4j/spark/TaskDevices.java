package org.explain4j.spark;

import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

/**
 * The GPUs Spark gave the running task ({@code spark.task.resource.gpu.amount}, found by the
 * executor's discovery script): each executor's explainer sees only those, so that tasks on one
 * machine do not share a card by accident.
 */
final class TaskDevices {
  private TaskDevices() {}

  /** The task's GPU addresses, comma-separated ("0", "1,3"); null outside a task or when it has none. */
  static String gpus() {
    TaskContext task = TaskContext.get();
    if (task == null) {
      return null;
    }
    ResourceInformation gpu = task.resourcesJMap().get("gpu");
    return gpu == null || gpu.addresses().length == 0 ? null : String.join(",", gpu.addresses());
  }

  /**
   * Points explain4j's CUDA engine at the first of the task's GPUs ({@code explain4j.cuda.device},
   * a JVM-wide setting: one GPU per executor, as Spark's GPU scheduling is used). TensorFlow gets
   * the addresses through its session's visible devices ({@link ExplainSettings#config}).
   */
  static void pointCudaEngineAt(String gpus) {
    if (gpus != null) {
      System.setProperty("explain4j.cuda.device", gpus.split(",")[0]);
    }
  }
}
