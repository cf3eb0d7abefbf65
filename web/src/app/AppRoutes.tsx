import { Navigate, Route, Routes } from 'react-router';

/** Every route of the console; see routes.ts for the URL scheme. */
export function AppRoutes() {
  return (
    <Routes>
      <Route path="*" element={<Navigate to="/" replace />} />
    </Routes>
  );
}
