//! The documented draw procedure: seed → ChaCha20 stream → bounded integers
//! → Fisher–Yates permutation.
//!
//! Anyone can re-run a published draw from this description alone; nothing
//! here relies on an algorithm of `rand` whose values may change between its
//! versions.
//!
//! # Implementation notes
//!
//! 1. **Key.** The 64-bit seed is written as 8 little-endian bytes, followed
//!    by 24 zero bytes: that 32-byte array is the ChaCha20 key
//!    (`rand_chacha::ChaCha20Rng::from_seed`, 20 rounds, block counter from
//!    0). ChaCha20's output for a given key, stream and position is fixed by
//!    the cipher's definition (RFC 7539 block function, 64-bit counter and
//!    64-bit stream id as in the original ChaCha).
//! 2. **Streams.** Each use has its own stream id so that one never shifts
//!    another: [`Stream::Order`] (0) draws the visitors' order,
//!    [`Stream::Open`] (1) draws visits for volunteers without wishes,
//!    [`Stream::Pairs`] (2) draws reciprocal pairs, [`Stream::Search`] (3)
//!    steers the optimal strategy's neighbourhood search.
//! 3. **Words.** A `u32` word is the next 4 bytes of the key stream read as
//!    little-endian.
//! 4. **Bounded integers.** To draw `x` uniformly in `0..n` (`1 <= n <=
//!    2^32 - 1`): let `r = 2^32 mod n`; draw words `w` until `w >= r`; then
//!    `x = w mod n`. The accepted words are exactly `2^32 - r`, a multiple of
//!    `n`, so `x` is unbiased. `n = 1` consumes one word and gives 0.
//! 5. **Permutation.** Start from the identity `[0, 1, …, n-1]` (the
//!    canonical order, by id); for `i` from `n-1` down to `1`, draw `j` in
//!    `0..=i` as in step 4 and swap positions `i` and `j` (Fisher–Yates,
//!    Durstenfeld's form).
//!
//! [`DRAW_PROCEDURE_VERSION`] numbers this procedure; it changes only with a
//! **draw-breaking** entry in the CHANGELOG.

use rand_chacha::ChaCha20Rng;
use rand_core::{Rng, SeedableRng};

/// The version of the draw procedure described above, recorded in every
/// outcome.
pub const DRAW_PROCEDURE_VERSION: u32 = 1;

/// The independent streams drawn from one seed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Stream {
    /// The order of the visitors (stream id 0).
    Order,
    /// Visits drawn for volunteers who expressed no wish (stream id 1).
    Open,
    /// Reciprocal pairs drawn among volunteers (stream id 2).
    Pairs,
    /// The neighbourhoods the optimal strategy searches, and the ties
    /// between equal plans there (stream id 3).
    Search,
}

impl Stream {
    fn id(self) -> u64 {
        match self {
            Stream::Order => 0,
            Stream::Open => 1,
            Stream::Pairs => 2,
            Stream::Search => 3,
        }
    }
}

/// A seeded generator following the documented procedure.
///
/// ```
/// use jobswap::rng::{DrawRng, Stream};
/// let mut a = DrawRng::new(42, Stream::Order);
/// let mut b = DrawRng::new(42, Stream::Order);
/// assert_eq!(a.permutation(10), b.permutation(10));
/// ```
#[derive(Clone, Debug)]
pub struct DrawRng {
    inner: ChaCha20Rng,
}

impl DrawRng {
    /// The generator for `seed` on `stream` (steps 1 and 2).
    pub fn new(seed: u64, stream: Stream) -> Self {
        let mut key = [0u8; 32];
        key[..8].copy_from_slice(&seed.to_le_bytes());
        let mut inner = ChaCha20Rng::from_seed(key);
        inner.set_stream(stream.id());
        DrawRng { inner }
    }

    /// The next raw word (step 3).
    pub fn next_word(&mut self) -> u32 {
        self.inner.next_u32()
    }

    /// A uniform integer in `0..n` (step 4); `n = 0` gives 0 without drawing.
    pub fn below(&mut self, n: u32) -> u32 {
        if n == 0 {
            return 0;
        }
        let r = n.wrapping_neg() % n; // 2^32 mod n
        loop {
            let w = self.next_word();
            if w >= r {
                return w % n;
            }
        }
    }

    /// Shuffles `items` in place (step 5). Slices longer than `u32::MAX`
    /// are shuffled in their first `u32::MAX` positions only (no edition
    /// comes near).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        let n = u32::try_from(items.len()).unwrap_or(u32::MAX);
        for i in (1..n).rev() {
            let j = self.below(i + 1);
            items.swap(i as usize, j as usize);
        }
    }

    /// A uniform permutation of `0..n` (step 5).
    pub fn permutation(&mut self, n: u32) -> Vec<u32> {
        let mut v: Vec<u32> = (0..n).collect();
        self.shuffle(&mut v);
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn below_is_in_range_and_covers_it() {
        let mut r = DrawRng::new(7, Stream::Order);
        let mut seen = [false; 7];
        for _ in 0..1000 {
            let x = r.below(7);
            assert!(x < 7);
            seen[x as usize] = true;
        }
        assert!(seen.iter().all(|s| *s));
        assert_eq!(r.below(0), 0);
    }

    #[test]
    fn streams_differ() {
        let a = DrawRng::new(1, Stream::Order).next_word();
        let b = DrawRng::new(1, Stream::Open).next_word();
        assert_ne!(a, b);
    }

    #[test]
    fn permutation_is_a_permutation() {
        let mut p = DrawRng::new(3, Stream::Order).permutation(1000);
        p.sort_unstable();
        assert!(p.iter().enumerate().all(|(i, &x)| i as u32 == x));
    }
}
