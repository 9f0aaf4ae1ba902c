//! Pages through a long list (every track within a radius or a region): "Showing 51–100
//! of 1,234" with Previous and Next; hidden when the list fits on one page.

use leptos::prelude::*;
use moodplane_core::group_thousands;

/// Rows shown per page of a long list.
pub const PAGE_SIZE: usize = 50;

#[component]
pub fn Pager(total: Memo<usize>, page: RwSignal<usize>) -> impl IntoView {
    let pages = move || total.get().div_ceil(PAGE_SIZE).max(1);
    let current = move || page.get().min(pages() - 1);
    let on_last = move || current() + 1 >= pages();
    move || {
        (total.get() > PAGE_SIZE).then(|| {
            view! {
                <nav class="pager" id="pager" aria-label="Pages of the list">
                    <button type="button" id="page-previous" disabled=move || current() == 0
                        on:click=move |_| page.set(current().saturating_sub(1))>"Previous"</button>
                    <span id="page-status" aria-live="polite">{move || format!(
                        "Showing {}–{} of {}",
                        group_thousands(current() * PAGE_SIZE + 1),
                        group_thousands(((current() + 1) * PAGE_SIZE).min(total.get())),
                        group_thousands(total.get())
                    )}</span>
                    <button type="button" id="page-next" disabled=on_last
                        on:click=move |_| page.set(current() + 1)>"Next"</button>
                </nav>
            }
        })
    }
}
