//! Generates the Video SDK client from `zoomgen.toml` into `OUT_DIR`; cargo reruns this when
//! the settings or the document change.

fn main() {
    if let Err(error) = zoomgen::build_script::generate("zoomgen.toml") {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}
