// Which view the shell shows for the chosen screen; the desk and the admin screen stay
// where they were (components/), the dashboards and review live here and in review/.
import { AdminScreen } from '../components/admin-screen';
import { DeskScreen } from '../components/desk-screen';
import { SessionsScreen } from '../review/sessions-screen';
import type { Screen } from '../state/view-store';
import { AgentDashboard } from './agent-dashboard';
import { AiQueueScreen } from './ai-queue-screen';
import { TeamScreen } from './team-screen';
import { WallboardScreen } from './wallboard-screen';

export function ScreenView({ screen }: { screen: Screen }) {
  switch (screen) {
    case 'my-dashboard':
      return <AgentDashboard agentId="me" />;
    case 'my-sessions':
      return <SessionsScreen own />;
    case 'team':
      return <TeamScreen />;
    case 'ai-queue':
      return <AiQueueScreen />;
    case 'wallboard':
      return <WallboardScreen />;
    case 'sessions':
      return <SessionsScreen own={false} />;
    case 'admin':
      return <AdminScreen />;
    default:
      return <DeskScreen />;
  }
}
