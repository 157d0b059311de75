//! Response files are read a page at a time: the pages, at any size, give
//! every response once, in the file's order (network, then id), with its
//! answers — on SQLite, and on PostgreSQL when `TRAMA_TEST_DATABASE_URL` is set.

use trama_store::campaigns::reports::ResponsePages;

#[tokio::test]
async fn pages_of_any_size_give_every_response_once_in_file_order() {
    let (s, _g, c) = super::open_answers::seeded().await;
    for partial in [false, true] {
        let mut whole = vec![];
        let mut pages = ResponsePages::with_size(c.id, partial, 100_000);
        while let Some(page) = pages.next(&s).await.unwrap_or_else(|e| panic!("{e}")) {
            whole.extend(page);
        }
        assert!(whole.len() > 50, "the demo round has responses");
        let mut keys: Vec<(String, String)> = whole
            .iter()
            .map(|r| (r.network.clone(), r.response_id.clone()))
            .collect();
        let read = keys.clone();
        keys.sort();
        keys.dedup();
        assert_eq!(read, keys, "in (network, id) order, each once");
        assert!(whole.iter().all(|r| !r.answers.is_empty()));
        // Page sizes that split networks and end exactly on the last row.
        for size in [1, 7, whole.len() as i64, whole.len() as i64 - 1] {
            let mut paged = vec![];
            let mut pages = ResponsePages::with_size(c.id, partial, size);
            while let Some(page) = pages.next(&s).await.unwrap_or_else(|e| panic!("{e}")) {
                assert!(page.len() as i64 <= size);
                paged.extend(page);
            }
            assert_eq!(paged, whole, "pages of {size}");
        }
    }
}
