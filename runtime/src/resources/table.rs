//! [`ResourceTable`]: Rust objects that JS holds by id.

use std::any::Any;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::rc::Rc;

use super::cancel::CancelHandle;
use crate::OpError;

/// The id JS holds for a resource: a plain number.
pub type ResourceId = u32;

/// Something JS holds by id (a file, a socket, a timer): put it in the
/// runtime's [`ResourceTable`].
///
/// Its state is shared: ops get an `Rc<Self>`, so methods take `&self`.
/// State that an async op keeps borrowed across `.await` belongs in an
/// async-aware cell such as `tokio::sync::Mutex` (or `RwLock`): two ops
/// using the resource at once then take turns instead of panicking, as a
/// `RefCell` borrowed across an await would.
///
/// # Examples
///
/// ```
/// use std::{cell::RefCell, rc::Rc};
/// use opwire::{op, OpError, OpState, Resource, ResourceId};
///
/// struct Counter(RefCell<u32>);
///
/// impl Resource for Counter {
///     fn name(&self) -> std::borrow::Cow<'_, str> {
///         "counter".into()
///     }
/// }
///
/// #[op]
/// fn op_counter_new(state: &mut OpState) -> ResourceId {
///     state.resource_table.add(Counter(RefCell::new(0)))
/// }
///
/// #[op]
/// fn op_counter_inc(state: &OpState, rid: ResourceId) -> Result<u32, OpError> {
///     let counter = state.resource_table.get::<Counter>(rid)?;
///     let mut n = counter.0.borrow_mut();
///     *n += 1;
///     Ok(*n)
/// }
/// # let _ = (op_counter_new, op_counter_inc);
/// ```
pub trait Resource: Any {
    /// The name JS sees (`opwire.resources()`, errors); the Rust type's
    /// name by default.
    fn name(&self) -> Cow<'_, str> {
        short_type_name::<Self>().into()
    }

    /// Called once when the resource is closed ([`ResourceTable::close`]
    /// or `opwire.close(rid)` in JS), after the ops in flight on it were
    /// cancelled.
    fn close(self: Rc<Self>) {}
}

/// The last path segment of a type's name (`File` for `my_crate::fs::File`).
fn short_type_name<T: ?Sized>() -> &'static str {
    let full = std::any::type_name::<T>();
    let base = full.split('<').next().unwrap_or(full);
    base.rsplit("::").next().unwrap_or(base)
}

struct Entry {
    resource: Rc<dyn Resource>,
    /// The same allocation, for downcasting to the concrete type.
    any: Rc<dyn Any>,
    cancel: CancelHandle,
}

/// The resources of a runtime, in its [`OpState`](crate::OpState)
/// (`state.resource_table`).
///
/// Lookups fail with a JS error of class `BadResource` (code
/// `ERR_BAD_RESOURCE`) that names the op and the id, for an id that is not
/// open (never was, or was closed) or holds another type. Closing a
/// resource cancels the ops in flight on it (those that run under
/// [`ResourceTable::cancel_handle`]): their futures are dropped at once
/// and they fail with class `Interrupted`.
#[derive(Default)]
pub struct ResourceTable {
    entries: BTreeMap<ResourceId, Entry>,
    next_id: ResourceId,
}

impl ResourceTable {
    /// Adds `resource`; returns its id.
    pub fn add<T: Resource>(&mut self, resource: T) -> ResourceId {
        self.add_rc(Rc::new(resource))
    }

    /// Adds a shared resource; returns its id.
    pub fn add_rc<T: Resource>(&mut self, resource: Rc<T>) -> ResourceId {
        let rid = self.next_id;
        self.next_id = self.next_id.wrapping_add(1);
        let interrupted = OpError::new(
            "Interrupted",
            format!(
                "interrupted: resource {rid} ({}) was closed",
                resource.name()
            ),
        )
        .with_code("EINTR")
        .naming_the_op();
        let entry = Entry {
            any: resource.clone(),
            resource,
            cancel: CancelHandle::new(interrupted),
        };
        self.entries.insert(rid, entry);
        rid
    }

    /// Whether `rid` is open.
    pub fn has(&self, rid: ResourceId) -> bool {
        self.entries.contains_key(&rid)
    }

    /// The resource `rid`, as a `T`.
    ///
    /// # Errors
    ///
    /// `BadResource` if `rid` is not open or is not a `T`.
    pub fn get<T: Resource>(&self, rid: ResourceId) -> Result<Rc<T>, OpError> {
        let entry = self.entry(rid)?;
        entry
            .any
            .clone()
            .downcast::<T>()
            .map_err(|_| wrong_type::<T>(rid, &entry.resource.name()))
    }

    /// The resource `rid`, whatever its type.
    ///
    /// # Errors
    ///
    /// `BadResource` if `rid` is not open.
    pub fn get_any(&self, rid: ResourceId) -> Result<Rc<dyn Resource>, OpError> {
        Ok(self.entry(rid)?.resource.clone())
    }

    /// The handle that closing `rid` cancels: run an async op's work under
    /// it ([`CancelHandle::run`]) to make the op end, with an `Interrupted`
    /// error, when JS closes the resource.
    ///
    /// # Errors
    ///
    /// `BadResource` if `rid` is not open.
    pub fn cancel_handle(&self, rid: ResourceId) -> Result<CancelHandle, OpError> {
        Ok(self.entry(rid)?.cancel.clone())
    }

    /// Removes the resource `rid` and hands it over, without closing it or
    /// cancelling its ops.
    ///
    /// # Errors
    ///
    /// `BadResource` if `rid` is not open or is not a `T` (it then stays).
    pub fn take<T: Resource>(&mut self, rid: ResourceId) -> Result<Rc<T>, OpError> {
        let resource = self.get::<T>(rid)?;
        self.entries.remove(&rid);
        Ok(resource)
    }

    /// Closes `rid`: removes it, cancels the ops in flight on it, then
    /// calls its [`Resource::close`].
    ///
    /// # Errors
    ///
    /// `BadResource` if `rid` is not open.
    pub fn close(&mut self, rid: ResourceId) -> Result<(), OpError> {
        let entry = self.entries.remove(&rid).ok_or_else(|| not_open(rid))?;
        entry.cancel.cancel();
        entry.resource.close();
        Ok(())
    }

    /// The open resources' ids and names, in id order.
    pub fn names(&self) -> impl Iterator<Item = (ResourceId, Cow<'_, str>)> + '_ {
        self.entries
            .iter()
            .map(|(rid, entry)| (*rid, entry.resource.name()))
    }

    /// How many resources are open.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no resource is open.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn entry(&self, rid: ResourceId) -> Result<&Entry, OpError> {
        self.entries.get(&rid).ok_or_else(|| not_open(rid))
    }
}

impl std::fmt::Debug for ResourceTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.names()).finish()
    }
}

fn bad_resource(message: String) -> OpError {
    OpError::new("BadResource", message)
        .with_code("ERR_BAD_RESOURCE")
        .naming_the_op()
}

fn not_open(rid: ResourceId) -> OpError {
    bad_resource(format!(
        "bad resource id {rid}: no open resource has it (never opened, or closed)"
    ))
}

fn wrong_type<T: Resource>(rid: ResourceId, actual: &str) -> OpError {
    bad_resource(format!(
        "bad resource id {rid}: it is a {actual}, not a {}",
        short_type_name::<T>()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct File;
    impl Resource for File {}

    #[derive(Debug)]
    struct Socket;
    impl Resource for Socket {
        fn name(&self) -> Cow<'_, str> {
            "tcpSocket".into()
        }
    }

    #[test]
    fn add_get_take_close() {
        let mut table = ResourceTable::default();
        let file = table.add(File);
        let socket = table.add(Socket);
        assert_ne!(file, socket);
        assert!(table.get::<File>(file).is_ok());
        let names: Vec<_> = table.names().map(|(r, n)| (r, n.into_owned())).collect();
        assert_eq!(
            names,
            [(file, "File".to_owned()), (socket, "tcpSocket".to_owned())]
        );

        let err = table.get::<File>(socket).unwrap_err();
        assert_eq!(err.class(), "BadResource");
        assert_eq!(err.code(), Some("ERR_BAD_RESOURCE"));
        assert_eq!(
            err.message_for("op_read"),
            format!("op_read: bad resource id {socket}: it is a tcpSocket, not a File")
        );
        assert!(table.take::<File>(socket).is_err() && table.has(socket));

        table.close(file).unwrap();
        let err = table.get::<File>(file).unwrap_err();
        assert_eq!(
            err.message_for("op_read"),
            format!(
                "op_read: bad resource id {file}: no open resource has it (never opened, or closed)"
            )
        );
        assert!(table.close(file).is_err());
        assert!(table.take::<Socket>(socket).is_ok());
        assert!(table.is_empty());
    }
}
