/**
 * explain4j: attribution maps (Grad-CAM and its family) for TensorFlow SavedModels on the JVM.
 *
 * <p>The public packages run one way, top to bottom: {@code metric} (faithfulness metrics) and {@code render} (and its {@code image},
 * {@code text} and {@code raw} formatters) uses the root ({@code Explainer} and its results), which
 * uses {@code method}, {@code engine}, {@code cam}, {@code input}, {@code model} and
 * {@code exceptions}. TensorFlow and graph plumbing lives in {@code internal} packages that this
 * module does not export.
 *
 * <p>On the module path, reading tensor memory in place (without a copy) needs
 * {@code --add-opens tensorflow/org.tensorflow=org.explain4j}; without it the engines copy.
 */
module org.explain4j {
  requires transitive tensorflow;
  requires transitive org.tensorflow.ndarray;
  requires transitive tensorflow.nativelib;
  // Reading and drawing images (input.Images, ImagePreprocessor's BufferedImages, render.image) needs
  // AWT and Commons Imaging; computing maps needs neither. Static, so that a server that only
  // explains tensors runs without AWT; on the module path, an application that reads or draws images
  // adds them: --add-modules java.desktop,org.apache.commons.imaging (or requires them itself).
  requires static java.desktop;
  requires static org.apache.commons.imaging;
  requires org.apache.commons.csv;
  requires com.fasterxml.jackson.core;

  exports org.explain4j;
  exports org.explain4j.exceptions;
  exports org.explain4j.model;
  exports org.explain4j.input;
  exports org.explain4j.method;
  exports org.explain4j.cam;
  exports org.explain4j.engine;
  exports org.explain4j.render;
  exports org.explain4j.render.image;
  exports org.explain4j.render.text;
  exports org.explain4j.render.raw;
  exports org.explain4j.metric;
  // Tensor memory addresses, for the native engines' shared JNI glue only.
  exports org.explain4j.internal.memory to org.explain4j.jni;

  uses org.explain4j.engine.EngineProvider;
  uses org.explain4j.method.AttributionMethod;

  provides org.explain4j.engine.EngineProvider with org.explain4j.engine.JavaEngineProvider;
  provides org.explain4j.method.AttributionMethod with
      org.explain4j.method.GradCamMethod,
      org.explain4j.method.GradientTimesActivation,
      org.explain4j.method.GradCamElementwise,
      org.explain4j.method.HiResCam,
      org.explain4j.method.XGradCam,
      org.explain4j.method.GradCamPlusPlus,
      org.explain4j.method.LayerCam,
      org.explain4j.method.EigenCam,
      org.explain4j.method.EigenGradCam,
      org.explain4j.method.AblationCam,
      org.explain4j.method.ScoreCam;
}
