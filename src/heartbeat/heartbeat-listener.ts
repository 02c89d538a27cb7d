/** Callbacks of the component that owns a heartbeat manager (I: payload received, O: payload sent). */
export interface HeartbeatListener<I, O> {
  /** The target has not been heard from within the heartbeat timeout. */
  notifyHeartbeatTimeout(targetId: string): void;
  /** A heartbeat from the target carried this payload. */
  reportPayload(targetId: string, payload: I): void;
  /** The payload to send to the target with our next heartbeat. */
  retrievePayload(targetId: string): O;
}

/** The remote side as the heartbeat manager sees it; wraps a gateway's notifications. */
export interface HeartbeatTarget<O> {
  /** Ask the target for a heartbeat (the sender side's periodic call). */
  requestHeartbeat(fromId: string, payload: O): void;
  /** Answer a request from the target. */
  receiveHeartbeat(fromId: string, payload: O): void;
}
