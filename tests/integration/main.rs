//! Integration tests: each runs the real `animate` binary on scenes written into a
//! temporary folder, and checks what a user would check.

mod util;

mod annotations;
#[cfg(feature = "video")]
mod audio;
mod bars;
mod batch;
mod caption;
mod cli;
mod column_formulas;
mod curve_data;
mod dates;
mod doc_examples;
mod effects;
mod errors;
mod every_error;
mod expressions;
mod features11;
mod features12;
mod features13;
#[cfg(feature = "video")]
mod features14;
mod files;
mod filters;
mod from_clips;
mod fuzz_found;
mod gif_encoding;
mod head_label;
mod hostile;
mod hostile10;
mod hostile11;
mod hostile12;
mod hostile8;
mod hostile9;
mod hostile_held;
mod hostile_many;
mod layers;
mod layouts;
mod log_norm;
mod measure;
mod media;
mod newcomer;
mod newcomer_article;
mod newcomer_eight;
mod newcomer_eleven;
mod newcomer_five;
mod newcomer_more;
mod newcomer_nine;
mod newcomer_seven;
mod newcomer_six;
mod newcomer_small;
mod newcomer_ten;
mod newcomer_twelve;
mod open_files;
mod plot_band;
mod plot_dpi;
mod plot_fields;
mod plot_font;
mod plots;
mod plots_animated;
mod preview;
mod preview_browser;
mod programs;
mod progress_bar;
mod remux;
mod render;
mod requests8;
mod safety;
mod scatter_columns;
mod scenes;
mod schema;
#[cfg(feature = "video")]
mod segment_audio;
mod shell;
mod simulations;
#[cfg(feature = "video")]
mod sound_util;
mod surface;
mod surprises;
mod text;
mod text_animated;
mod text_live;
mod tiff_hostile;
mod time_units;
mod video;
