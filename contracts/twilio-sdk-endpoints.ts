// The Twilio endpoints the Voice SDK (@twilio/voice-sdk 2.x, default "roaming" edge) talks to
// from the agent's app, for both Content-Security-Policies (backend-served app and desktop):
// signalling over WebSocket, the Insights event gateway, and the SDK's ring and tone sounds.
// Call audio itself is WebRTC (UDP), which CSP does not govern.
export const TWILIO_SDK_CONNECT_SRC = ['wss://voice-js.roaming.twilio.com', 'https://eventgw.twilio.com', 'https://sdk.twilio.com'] as const;
export const TWILIO_SDK_MEDIA_SRC = ['https://sdk.twilio.com'] as const;
