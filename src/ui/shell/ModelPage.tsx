/**
 * The Model view. The engine teammate builds the real one in src/ui/model/ (model source, GPU
 * check, download progress); this page stands in until it exists.
 */
export default function ModelPage() {
  return (
    <section className="view" aria-labelledby="model-title">
      <h2 className="view-title" id="model-title">
        Model
      </h2>
      <p className="view-lede">
        DimMem-4B runs on this computer&apos;s GPU through WebGPU. Choosing and loading a model is
        not available in this build yet.
      </p>
    </section>
  );
}
