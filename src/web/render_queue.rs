//! The bounded queue in front of PDF rendering. A few renders run at once
//! (each holds a blocking thread and one core); later requests wait, but
//! only so many and only so long: past either bound the request is answered
//! 503 with `Retry-After` at once, instead of piling up memory and timing
//! out in the client with no word of why.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::{Semaphore, SemaphorePermit};

/// Why a render was not started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Busy {
    /// As many requests as allowed are already waiting.
    QueueFull,
    /// No render slot came free within the wait limit.
    WaitedTooLong,
}

/// Render slots plus a bounded, time-limited line of waiters.
pub struct RenderQueue {
    slots: Semaphore,
    waiting: AtomicUsize,
    max_waiting: usize,
    max_wait: Duration,
}

/// Counts one waiter for as long as it waits (also when its future is
/// dropped because the client went away).
struct InLine<'a>(&'a AtomicUsize);

impl Drop for InLine<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl RenderQueue {
    /// `slots` renders at once, at most `max_waiting` more waiting, none of
    /// them longer than `max_wait`.
    pub fn new(slots: usize, max_waiting: usize, max_wait: Duration) -> Self {
        Self {
            slots: Semaphore::new(slots),
            waiting: AtomicUsize::new(0),
            max_waiting,
            max_wait,
        }
    }

    /// A render slot, held until the permit drops, or why there is none.
    pub async fn enter(&self) -> Result<SemaphorePermit<'_>, Busy> {
        if let Ok(permit) = self.slots.try_acquire() {
            return Ok(permit);
        }
        let ahead = self.waiting.fetch_add(1, Ordering::AcqRel);
        let _in_line = InLine(&self.waiting);
        if ahead >= self.max_waiting {
            return Err(Busy::QueueFull);
        }
        match tokio::time::timeout(self.max_wait, self.slots.acquire()).await {
            Ok(Ok(permit)) => Ok(permit),
            // The semaphore is never closed; treat it like a full line.
            Ok(Err(_closed)) => Err(Busy::QueueFull),
            Err(_elapsed) => Err(Busy::WaitedTooLong),
        }
    }

    /// Requests waiting for a slot now.
    pub fn waiting(&self) -> usize {
        self.waiting.load(Ordering::Acquire)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::future::Future;
    use std::pin::Pin;
    use std::task::{Context, Waker};

    /// Polls once: whether the future is still waiting.
    fn pending<F: Future>(future: Pin<&mut F>) -> bool {
        future
            .poll(&mut Context::from_waker(Waker::noop()))
            .is_pending()
    }

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .unwrap()
    }

    #[test]
    fn a_free_slot_is_taken_at_once() {
        runtime().block_on(async {
            let queue = RenderQueue::new(2, 0, Duration::from_secs(5));
            let _a = queue.enter().await.unwrap();
            let _b = queue.enter().await.unwrap();
            assert_eq!(queue.enter().await.err(), Some(Busy::QueueFull));
        });
    }

    #[test]
    fn a_waiter_gets_the_slot_that_comes_free() {
        runtime().block_on(async {
            let queue = RenderQueue::new(1, 1, Duration::from_secs(5));
            let first = queue.enter().await.unwrap();
            let waiter = queue.enter();
            tokio::pin!(waiter);
            // Not ready while the only slot is held …
            assert!(pending(waiter.as_mut()));
            assert_eq!(queue.waiting(), 1);
            // … and the line is full: a third request is refused at once.
            assert_eq!(queue.enter().await.err(), Some(Busy::QueueFull));
            drop(first);
            assert!(waiter.await.is_ok());
            assert_eq!(queue.waiting(), 0);
        });
    }

    #[test]
    fn a_waiter_gives_up_after_the_wait_limit() {
        runtime().block_on(async {
            let queue = RenderQueue::new(1, 8, Duration::from_secs(5));
            let _held = queue.enter().await.unwrap();
            let started = tokio::time::Instant::now();
            assert_eq!(queue.enter().await.err(), Some(Busy::WaitedTooLong));
            assert_eq!(started.elapsed(), Duration::from_secs(5));
            assert_eq!(queue.waiting(), 0, "a waiter that gave up leaves the line");
        });
    }

    #[test]
    fn a_client_that_goes_away_leaves_the_line() {
        runtime().block_on(async {
            let queue = RenderQueue::new(1, 1, Duration::from_secs(5));
            let _held = queue.enter().await.unwrap();
            {
                let waiter = queue.enter();
                tokio::pin!(waiter);
                assert!(pending(waiter.as_mut()));
                assert_eq!(queue.waiting(), 1);
            }
            assert_eq!(queue.waiting(), 0);
        });
    }
}
