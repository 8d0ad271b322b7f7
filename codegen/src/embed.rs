//! Embedding a generated crate as a module of another crate, for the protocol-test
//! harness, which batches many small services into one test crate to build once.
//! Generated code names its items by absolute path (`crate::types::Foo`); here every
//! such path is re-rooted (`crate::suites::s012::types::Foo`) on the syntax tree.

use syn::visit_mut::VisitMut;

use crate::emit::GeneratedFile;
use crate::error::Error;

/// The crate's files as a module at `module_path` (e.g. `suites::s012`): `src/lib.rs`
/// becomes `mod.rs`, the other `src/` files keep their relative places, and
/// `Cargo.toml` is dropped.
pub fn embed_as_module(
    files: &[GeneratedFile],
    module_path: &str,
) -> Result<Vec<GeneratedFile>, Error> {
    let prefix: Vec<syn::Ident> = module_path
        .split("::")
        .map(|segment| syn::Ident::new(segment, proc_macro2::Span::call_site()))
        .collect();
    let mut embedded = Vec::new();
    for file in files {
        let Some(relative) = file.path.strip_prefix("src/") else {
            continue;
        };
        let path = if relative == "lib.rs" {
            "mod.rs".to_owned()
        } else {
            relative.to_owned()
        };
        let mut syntax: syn::File = syn::parse_file(&file.contents).map_err(|e| Error::Emit {
            file: file.path.clone(),
            message: e.to_string(),
        })?;
        Reroot { prefix: &prefix }.visit_file_mut(&mut syntax);
        embedded.push(GeneratedFile {
            path,
            contents: prettyplease::unparse(&syntax),
        });
    }
    Ok(embedded)
}

struct Reroot<'a> {
    prefix: &'a [syn::Ident],
}

impl VisitMut for Reroot<'_> {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        // `crate::x::y` gains the module prefix; a bare `crate` (as in `pub(crate)`) stays.
        if path.segments.len() > 1 && path.segments[0].ident == "crate" {
            let old = std::mem::take(&mut path.segments);
            let mut segments = old.into_iter();
            path.segments.extend(segments.next());
            path.segments
                .extend(self.prefix.iter().cloned().map(syn::PathSegment::from));
            path.segments.extend(segments);
        }
        syn::visit_mut::visit_path_mut(self, path);
    }

    fn visit_item_use_mut(&mut self, item: &mut syn::ItemUse) {
        // `use crate::types;` → `use crate::suites::s012::types;`
        if let syn::UseTree::Path(root) = &mut item.tree {
            if root.ident == "crate" {
                let mut tree = std::mem::replace(
                    &mut root.tree,
                    Box::new(syn::UseTree::Glob(syn::UseGlob {
                        star_token: Default::default(),
                    })),
                );
                for segment in self.prefix.iter().rev() {
                    tree = Box::new(syn::UseTree::Path(syn::UsePath {
                        ident: segment.clone(),
                        colon2_token: Default::default(),
                        tree,
                    }));
                }
                root.tree = tree;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_paths_and_crate_imports_are_rerooted() {
        let files = [GeneratedFile {
            path: "src/operation/send.rs".to_owned(),
            contents:
                "use crate::types;\npub(crate) fn f(x: crate::types::Item) -> types::Item { x }\n"
                    .to_owned(),
        }];
        let embedded = embed_as_module(&files, "suites::s012").unwrap();
        let text = &embedded[0].contents;
        assert!(text.contains("use crate::suites::s012::types;"), "{text}");
        assert!(
            text.contains("x: crate::suites::s012::types::Item"),
            "{text}"
        );
        assert!(text.contains("pub(crate) fn f"), "{text}");
        assert_eq!(embedded[0].path, "operation/send.rs");
    }
}
