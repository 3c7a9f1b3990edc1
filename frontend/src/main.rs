//! Entry point of the OneWindow web front-end.

fn main() {
    console_error_panic_hook::set_once();
}
